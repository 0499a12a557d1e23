package dev.braid.apps;

import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.train.EpochEvent;
import dev.braid.fusion.train.StepEvent;
import dev.braid.fusion.train.TrainingListener;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One fresh training run of a ready-made configuration, its steps timed after a warm-up and the
 * process's resident memory sampled after the first epoch and at the last step.
 */
final class TimedTraining {

    /** Steps left out of the timing: the first ones allocate and warm libtorch up. */
    static final int WARM_UP = 10;

    /**
     * What a timed run measured.
     *
     * @param config the configuration that ran
     * @param run the run (its datasets and feature settings)
     * @param result what it produced
     * @param stepsPerSecond optimiser steps per second from step {@link #WARM_UP} to {@code
     *     lastStep}
     * @param lastStep the last step
     * @param firstEpochStep the step that ended the first epoch
     * @param rssAfterFirstEpoch resident bytes after the first epoch's evaluation
     * @param rssAtEnd resident bytes at the last step
     * @param jvmAfterFirstEpoch bytes the JVM accounted for then ({@link #jvmCommitted})
     * @param jvmAtEnd the same at the last step
     */
    record Timing(
            RunConfig config,
            TrainingRun run,
            TrainingRun.Result result,
            double stepsPerSecond,
            int lastStep,
            int firstEpochStep,
            long rssAfterFirstEpoch,
            long rssAtEnd,
            long jvmAfterFirstEpoch,
            long jvmAtEnd) {

        double samplesPerSecond() {
            return stepsPerSecond * config.training().samplesPerStep();
        }
    }

    private TimedTraining() {}

    /**
     * Trains {@code readyConfig} with {@code overrides} into {@code out}, deleted first (a
     * benchmark never resumes an old run).
     */
    static Timing of(String readyConfig, Path out, List<String> overrides) throws IOException {
        List<String> all = new ArrayList<>(overrides);
        all.add("output=\"" + out + "\"");
        RunConfig config = ReadyConfigs.load(readyConfig, all);
        DemoCommand.deleteRecursively(out);
        TrainingRun run = new TrainingRun(config);
        Clock clock = new Clock();
        TrainingRun.Result result = run.run(List.of(clock));
        return new Timing(
                config,
                run,
                result,
                (clock.lastStep - WARM_UP) / ((clock.lastNanos - clock.warmUpNanos) / 1e9),
                clock.lastStep,
                clock.firstEpochStep,
                clock.rssAfterFirstEpoch,
                clock.rssAtEnd,
                clock.jvmAfterFirstEpoch,
                clock.jvmAtEnd);
    }

    /** Resident set size of this process, from /proc; 0 where /proc is not there. */
    static long rss() {
        return procStatus("VmRSS:");
    }

    /**
     * Bytes of the RSS the JVM accounts for: committed heap and non-heap, and its direct buffers
     * (which DJL's arrays made from Java data use, and which are freed only when their owner is
     * collected).
     */
    static long jvmCommitted() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += pool.getMemoryUsed();
        }
        return memory.getHeapMemoryUsage().getCommitted()
                + memory.getNonHeapMemoryUsage().getCommitted()
                + direct;
    }

    /** The largest resident set size this process has had. */
    static long peakRss() {
        return procStatus("VmHWM:");
    }

    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static final class Clock implements TrainingListener {
        long warmUpNanos;
        long lastNanos;
        int lastStep;
        long rssAtEnd;
        long rssAfterFirstEpoch;
        long jvmAtEnd;
        long jvmAfterFirstEpoch;
        int firstEpochStep;

        @Override
        public void onStep(StepEvent event) {
            if (event.step() == WARM_UP) {
                warmUpNanos = System.nanoTime();
            } else if (event.step() > WARM_UP) {
                lastNanos = System.nanoTime();
                lastStep = event.step();
                rssAtEnd = rss();
                jvmAtEnd = jvmCommitted();
            }
        }

        @Override
        public void onEpoch(EpochEvent event) {
            if (event.epoch() == 0) {
                rssAfterFirstEpoch = rss();
                jvmAfterFirstEpoch = jvmCommitted();
                firstEpochStep = event.step();
            }
        }
    }
}
