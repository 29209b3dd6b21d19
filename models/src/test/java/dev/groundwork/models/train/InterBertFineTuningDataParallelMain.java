package dev.groundwork.models.train;

import dev.groundwork.engine.dist.MpiCommunicator;
import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.interbert.data.InterBertSynth;
import dev.groundwork.models.interbert.recipe.FlickrFineTuning;
import dev.groundwork.models.interbert.recipe.FlickrSettings;
import dev.groundwork.models.interbert.recipe.ModelSize;
import dev.groundwork.models.interbert.recipe.RunOptions;
import dev.groundwork.models.interbert.recipe.VcrFineTuning;
import dev.groundwork.models.interbert.recipe.VcrSettings;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One rank of {@link InterBertFineTuningDataParallelTest}, under mpirun: {@code flickr|vcr DATA VOCAB DIR} runs that
 * fine-tuning recipe ({@link FlickrFineTuning#run}, {@link VcrFineTuning#run}) as one rank, with the replica check on
 * ({@link DataParallel#checkingReplicas}: after every optimizer step, every weight, buffer and EMA shadow is compared
 * bit for bit across ranks), and reports the steps it trained and checked; {@code flickr} then runs again with the
 * original's head dropout (per-rank masks), checked the same way.
 */
public final class InterBertFineTuningDataParallelMain {
    public static void main(String[] args) throws Exception {
        MpiCommunicator comm = MpiCommunicator.world(60);
        DataParallel dp = DataParallel.overlapping(comm).checkingReplicas();
        DataParallelFixtures.asRank(dp.comm(), () -> {
            replicaCheckSeesOneBit(dp);
            long before = dp.replicaChecks();
            Path data = Path.of(args[1]), vocab = Path.of(args[2]), dir = Path.of(args[3]);
            PrintStream log = dp.writer() ? System.out : new PrintStream(new ByteArrayOutputStream());
            Trainer.Result r = switch (args[0]) {
                case "flickr" -> FlickrFineTuning.run(flickr(data, vocab, dir), log, new StopRequest(), dp);
                case "vcr" -> VcrFineTuning.run(vcr(data, vocab, dir), log, new StopRequest(), dp);
                default -> throw new IllegalArgumentException(args[0]);
            };
            long checked = dp.replicaChecks() - before;
            if (checked != r.steps()) throw new AssertionError("checked " + checked + " of " + r.steps() + " steps");
            System.out.println("rank " + dp.rank() + ": trained to step " + r.steps() + ", weights and EMA bit-identical on all "
                    + dp.size() + " ranks after each of " + checked + " steps");
            if (args[0].equals("flickr")) {
                // With the original's head dropout each rank draws its own masks; the averaged gradients keep the replicas identical still.
                FlickrSettings z = flickr(data, vocab, Path.of(dir + "-dropout")), o = new FlickrSettings(z.data(), z.vocab(), null, z.size(), null,
                        z.regionClasses(), z.lr(), z.batchSize(), z.epochs(), z.warmup(), z.milestones(), z.emaDecay(), z.weightDecayRule(),
                        z.weightDecay(), z.textLength(), z.regions(), z.run().withMaxSteps(DROPOUT_STEPS));
                long start = dp.replicaChecks();
                Trainer.Result d = FlickrFineTuning.run(o, new PrintStream(new ByteArrayOutputStream()), new StopRequest(), dp);
                System.out.println("rank " + dp.rank() + ": with head dropout " + o.headDropout() + ", weights and EMA bit-identical on all "
                        + dp.size() + " ranks after each of " + (dp.replicaChecks() - start) + " of " + d.steps() + " steps");
            }
        });
    }

    /** The replica check itself: equal tensors pass; rank 1's copy one ulp off in one element fails on every rank. */
    private static void replicaCheckSeesOneBit(DataParallel dp) {
        float[] v = {0.25f, -1.5f, 3e-7f};
        try (var same = dev.groundwork.engine.tensor.Tensor.of(v, 3); var ema = dev.groundwork.engine.tensor.Tensor.of(v, 3)) {
            dp.verifyReplicas(0, java.util.List.of(same), java.util.List.of(ema));
            if (dp.rank() == 1) v[2] = Math.nextUp(v[2]);
            try (var off = dev.groundwork.engine.tensor.Tensor.of(v, 3)) {
                dp.verifyReplicas(0, java.util.List.of(same), java.util.List.of(off));
                throw new AssertionError("rank " + dp.rank() + ": the replica check missed an EMA shadow one ulp off on rank 1");
            } catch (IllegalStateException expected) {
                if (!expected.getMessage().contains("weights of rank 1 differ from rank 0's")) throw expected;
            }
        }
        if (dp.replicaChecks() != 1) throw new AssertionError("replica checks passed: " + dp.replicaChecks());
    }

    /** Steps of the run with head dropout (replica check only). */
    static final long DROPOUT_STEPS = 2;

    /** Steps every run of the test makes: through the warm-up (10 % of t_total) and on. */
    static final long STEPS = 5;

    /**
     * A vocabulary of every lower-case word and punctuation mark in the synthetic data's text files, so that the
     * captions, questions and answers tokenise to distinct words (with [UNK] for most of them, VCR's four
     * candidates would read alike and its loss stay at ln 4).
     */
    static void vocab(Path data, Path out) throws java.io.IOException {
        java.util.TreeSet<String> words = new java.util.TreeSet<>();
        try (var files = java.nio.file.Files.walk(data)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().matches(".*\\.(jsonline|jsonl|json|csv)$"))::iterator) {
                var m = java.util.regex.Pattern.compile("[a-z]+|[.,?!']").matcher(java.nio.file.Files.readString(f).toLowerCase(java.util.Locale.ROOT));
                while (m.find()) words.add(m.group());
            }
        }
        java.nio.file.Files.writeString(out, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n" + String.join("\n", words) + "\n");
    }

    /** A step record per step, {@link #STEPS} steps, seed 11. */
    static RunOptions run(Path dir) { return new RunOptions(dir, false, 11, Device.CPU, 0, 1, STEPS, 0, BadRecordPolicy.FAIL); }

    /**
     * The demo network from random weights, a global batch of 4 captions (16 pairs), 2 epochs (the second's lr
     * ×0.1), lr 1e-3 with warm-up over 10 % of t_total, EMA 0.9 (so that a few steps move the average visibly), no
     * head dropout (see the test), short texts and 12 regions for speed.
     */
    static FlickrSettings flickr(Path data, Path vocab, Path dir) {
        FlickrSettings d = FlickrSettings.defaults(data.resolve("flickr30k"), vocab, null, run(dir));
        return new FlickrSettings(d.data(), d.vocab(), null, ModelSize.DEMO, null, InterBertSynth.Options.SMALL.classes(), 1e-3, 4, 2, 0.1,
                new int[]{1}, 0.9, d.weightDecayRule(), d.weightDecay(), 12, 12, 0.0, d.run());
    }

    /** As {@link #flickr}, for VCR: 4 questions per task per iteration, texts of 16 and 20 slots, 12 regions. */
    static VcrSettings vcr(Path data, Path vocab, Path dir) {
        VcrSettings d = VcrSettings.defaults(data.resolve("VCR"), vocab, null, run(dir));
        return new VcrSettings(d.data(), d.vocab(), null, ModelSize.DEMO, null, InterBertSynth.Options.SMALL.classes(), 1e-3, 4, 2, 0.1,
                0.9, d.weightDecayRule(), d.weightDecay(), 16, 20, 12, 0.0, d.run());
    }
}
