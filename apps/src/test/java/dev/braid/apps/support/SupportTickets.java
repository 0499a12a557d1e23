package dev.braid.apps.support;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Held-out tickets of the shipped dataset, as the server tests send them. */
final class SupportTickets {

    private static Dataset dataset;

    private SupportTickets() {}

    static synchronized List<ManifestEntry> test() {
        if (dataset == null) {
            dataset = Manifest.read(TinySupportModel.dataDir());
        }
        return dataset.entries(Split.TEST);
    }

    /** The first held-out ticket that has a message, a photo and a voice note. */
    static ManifestEntry complete() {
        return test().stream().filter(e -> e.inputs().size() == 3).findFirst().orElseThrow();
    }

    /**
     * The form a client would post for {@code entry}, with only the modalities in {@code parts}.
     */
    static MultipartBody form(ManifestEntry entry, Set<Modality> parts) {
        MultipartBody body = new MultipartBody();
        if (parts.contains(Modality.TEXT) && entry.has(Modality.TEXT)) {
            body.text("text", entry.inputs().get(Modality.TEXT));
        }
        if (parts.contains(Modality.IMAGE) && entry.has(Modality.IMAGE)) {
            body.file("image", "photo.png", "image/png", bytes(entry, Modality.IMAGE));
        }
        if (parts.contains(Modality.AUDIO) && entry.has(Modality.AUDIO)) {
            body.file("audio", "voice.wav", "audio/wav", bytes(entry, Modality.AUDIO));
        }
        return body;
    }

    static MultipartBody form(ManifestEntry entry) {
        return form(entry, new TreeSet<>(Modality.values()));
    }

    static byte[] bytes(ManifestEntry entry, Modality modality) {
        try {
            return Files.readAllBytes(Path.of(entry.inputs().get(modality)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
