package dev.braid.apps.support;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.Prediction;
import dev.braid.text.tokenize.Tokenizer;
import dev.braid.vision.image.DecodeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The customer-service model behind the server: a saved multi-task fusion model with the heads
 * {@code intent}, {@code product} and {@code urgency}, and the reply templates its answers fill.
 * Thread-safe, as {@link FusionPredictor} is.
 */
public final class FusionTicketRouter implements TicketRouter, ReplySuggester, AutoCloseable {

    /** The classification heads the model must have. */
    public static final List<String> HEADS = List.of("intent", "product", "urgency");

    private final FusionPredictor predictor;
    private final ReplyTemplates replies;
    private final PredictionBatcher batcher;
    private final String model;

    private FusionTicketRouter(
            FusionPredictor predictor,
            ReplyTemplates replies,
            BatchSettings batching,
            String model) {
        this.predictor = predictor;
        this.replies = replies;
        this.model = model;
        this.batcher = new PredictionBatcher(predictor::predict, batching);
    }

    /**
     * Loads the model saved in {@code modelDir} and the templates in {@code repliesFile}.
     *
     * @throws IllegalArgumentException if the model lacks one of {@link #HEADS}, or the templates
     *     do not cover every class it predicts
     */
    public static FusionTicketRouter load(Path modelDir, Path repliesFile) throws IOException {
        return load(modelDir, repliesFile, DecodeOptions.defaults(), BatchSettings.defaults());
    }

    /**
     * As {@link #load(Path, Path)}, decoding photos under {@code decoding} (a refused photo's 400
     * names the setting its limit came from) and batching concurrent tickets by {@code batching}.
     */
    public static FusionTicketRouter load(
            Path modelDir, Path repliesFile, DecodeOptions decoding, BatchSettings batching)
            throws IOException {
        ReplyTemplates replies = ReplyTemplates.read(repliesFile);
        FusionPredictor predictor = FusionPredictor.load(modelDir, decoding);
        try {
            TaskSchema schema = predictor.schema();
            for (String head : HEADS) {
                if (!schema.heads().containsKey(head)
                        || schema.head(head).kind() != HeadKind.CLASSIFICATION) {
                    throw new IllegalArgumentException(
                            modelDir
                                    + ": not a customer-service model: it needs classification"
                                    + " heads "
                                    + HEADS
                                    + ", it has "
                                    + schema.heads().keySet());
                }
            }
            replies.checkCovers(
                    schema.head("intent").classes(),
                    schema.head("product").classes(),
                    schema.head("urgency").classes());
            return new FusionTicketRouter(
                    predictor, replies, batching, ModelFingerprint.of(modelDir));
        } catch (RuntimeException e) {
            predictor.close();
            throw e;
        }
    }

    @Override
    public RoutedTicket route(Ticket ticket) {
        long start = System.nanoTime();
        Map<Modality, byte[]> inputs = new TreeMap<>();
        if (ticket.text() != null) {
            inputs.put(Modality.TEXT, ticket.text().getBytes(StandardCharsets.UTF_8));
        }
        if (ticket.image() != null) {
            inputs.put(Modality.IMAGE, ticket.image());
        }
        if (ticket.audio() != null) {
            inputs.put(Modality.AUDIO, ticket.audio());
        }
        Prediction p = batcher.predict(() -> predictor.features(inputs));
        RoutedTicket.Decision intent = decision(p.heads().get("intent"));
        RoutedTicket.Decision product = decision(p.heads().get("product"));
        RoutedTicket.Decision urgency = decision(p.heads().get("urgency"));
        String language = ReplyTemplates.languageOf(ticket.text());
        return new RoutedTicket(
                intent,
                product,
                urgency,
                replies.reply(intent.label(), product.label(), urgency.label(), language),
                language,
                ticket.modalities().stream()
                        .filter(predictor.modalities()::contains)
                        .map(FusionTicketRouter::partName)
                        .toList(),
                (System.nanoTime() - start) / 1e6);
    }

    @Override
    public Map<String, List<String>> classes() {
        Map<String, List<String>> classes = new LinkedHashMap<>();
        HEADS.forEach(h -> classes.put(h, predictor.schema().head(h).classes()));
        return classes;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean generates() {
        return predictor.generates();
    }

    /**
     * Routes {@code ticket} and, when the model has a generation head, generates its reply with
     * {@code settings}, streaming it; otherwise the template reply is the one piece.
     */
    @Override
    public RoutedTicket suggest(Ticket ticket, DecodingSettings settings, Consumer<String> pieces) {
        if (!predictor.generates()) {
            RoutedTicket routed = route(ticket);
            pieces.accept(routed.reply());
            return routed;
        }
        long start = System.nanoTime();
        Map<Modality, byte[]> inputs = new TreeMap<>();
        if (ticket.text() != null) {
            inputs.put(Modality.TEXT, ticket.text().getBytes(StandardCharsets.UTF_8));
        }
        if (ticket.image() != null) {
            inputs.put(Modality.IMAGE, ticket.image());
        }
        if (ticket.audio() != null) {
            inputs.put(Modality.AUDIO, ticket.audio());
        }
        Tokenizer tokenizer = predictor.tokenizer();
        StreamedText streamed = new StreamedText(tokenizer, pieces);
        FusionPredictor.Reply reply =
                predictor.reply(
                        inputs, settings.toConfig(tokenizer.specialTokens().sep()), streamed);
        Prediction p = reply.prediction();
        String text = streamed.finish(reply.reply().text());
        return new RoutedTicket(
                decision(p.heads().get("intent")),
                decision(p.heads().get("product")),
                decision(p.heads().get("urgency")),
                text,
                ReplyTemplates.languageOf(ticket.text()),
                ticket.modalities().stream()
                        .filter(predictor.modalities()::contains)
                        .map(FusionTicketRouter::partName)
                        .toList(),
                (System.nanoTime() - start) / 1e6);
    }

    @Override
    public List<String> reads() {
        return predictor.modalities().stream().map(FusionTicketRouter::partName).toList();
    }

    private static RoutedTicket.Decision decision(Prediction.HeadPrediction head) {
        Map<String, Double> probabilities = new LinkedHashMap<>();
        head.scores().forEach(s -> probabilities.put(s.label(), s.probability()));
        return new RoutedTicket.Decision(head.label(), head.value(), probabilities);
    }

    /** The form part that carries a modality: {@code text}, {@code image}, {@code audio}. */
    static String partName(Modality modality) {
        return modality.name().toLowerCase(Locale.ROOT);
    }

    /** Forward passes run ({@code batches}) and tickets they predicted ({@code predicted}). */
    @Override
    public Map<String, Object> counts() {
        return Map.of("batches", batcher.batches(), "predicted", batcher.predicted());
    }

    @Override
    public void close() {
        batcher.close();
        predictor.close();
    }
}
