package dev.groundwork.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.cpu.CpuThreads;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.bert.BertModel;
import dev.groundwork.models.language.LanguageModels;
import org.openjdk.jmh.annotations.*;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * BERT inference without gradients (issue 15 §2), Groundwork's forward next to ONNX Runtime's Java API on the
 * same model and weights in the same JVM: last_hidden_state of a [B, T] batch of random word ids ([CLS] first,
 * [SEP] last, mask all ones, type 0). Both use the same thread count ({@code -Dgw.threads}, else the cores).
 *
 * <p>The weights: a model folder written by {@code bench/peers/export_bert_onnx.py} (a Hub-layout folder that
 * {@link LanguageModels#open} loads as it is, plus its {@code model.onnx}), one per {@code model} value under
 * {@code -Dgw.onnx.dir} (default {@code bench/target/onnx}): {@code bert-base} (12 layers, 768 wide) and
 * {@code bert-small} (6 layers, 384 wide). Both sides copy the output to the Java heap once, as a caller
 * would. Setup compares the two sides' outputs on the benchmark's batch and refuses to measure when they
 * differ by more than 2e-3 (not the same model). Throughput is B / time. Six warm-up iterations: until C2 has
 * compiled the Vector API kernels, their Java fallback dominates a profile (seen with {@code -wi 2} on a busy
 * 2-core machine), and one BERT-base forward at B64 T128 takes seconds.
 *
 * <pre>
 *   /usr/bin/python3 bench/peers/export_bert_onnx.py --size base  --out bench/target/onnx/bert-base
 *   /usr/bin/python3 bench/peers/export_bert_onnx.py --size small --out bench/target/onnx/bert-small
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar BertInferenceBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class BertInferenceBench {
    @Param({"bert-base", "bert-small"})
    public String model;

    @Param({"8", "64"})
    public int batch;

    @Param({"16", "128"})
    public int length;

    BertModel bert;
    Tensor ids, types, mask;
    OrtEnvironment env;
    OrtSession session;
    Map<String, OnnxTensor> feeds;

    @Setup
    public void setup() throws Exception {
        Path dir = Path.of(System.getProperty("gw.onnx.dir", "bench/target/onnx")).resolve(model);
        Path onnx = dir.resolve("model.onnx");
        if (!Files.isRegularFile(onnx))
            throw new IllegalStateException(onnx + " is missing: write it first with /usr/bin/python3 bench/peers/export_bert_onnx.py --size "
                    + model.substring("bert-".length()) + " --out " + dir);
        bert = LanguageModels.open(dir.toString(), dir.resolve("vocab.txt")).bert();
        bert.eval();
        long[] id = new long[batch * length], zero = new long[batch * length], one = new long[batch * length];
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < id.length; i++) {
            int p = i % length;
            id[i] = p == 0 ? 101 : p == length - 1 ? 102 : r.nextInt(1996, 29612);   // [CLS] words [SEP] of the uncased vocab
            one[i] = 1;
        }
        ids = Tensor.ofLongs(id, batch, length);
        types = Tensor.ofLongs(zero, batch, length);
        mask = Tensor.ofLongs(one, batch, length);

        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(CpuThreads.threads());
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(onnx.toString(), o);
        long[] shape = {batch, length};
        feeds = Map.of("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(id), shape),
                "attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(one), shape),
                "token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(zero), shape));
        checkSameModel();
    }

    /** Both sides on the benchmark's batch: the largest absolute difference must be float rounding. */
    private void checkSameModel() throws OrtException {
        float[] ours;
        try (var g = GradMode.noGrad(); TensorScope s = TensorScope.open()) {
            ours = bert.forward(ids, types, mask).lastHiddenState().contiguous().toFloatArray();
        }
        try (OrtSession.Result res = session.run(feeds)) {
            FloatBuffer theirs = ((OnnxTensor) res.get(0)).getFloatBuffer();
            if (theirs.remaining() != ours.length)
                throw new IllegalStateException("ONNX Runtime returned " + theirs.remaining() + " values, Groundwork " + ours.length);
            double max = 0;
            for (float v : ours) max = Math.max(max, Math.abs(v - theirs.get()));
            System.out.printf("%n%s B%d T%d: max |groundwork - onnxruntime| = %.2e over %d values, %d threads%n", model, batch, length, max,
                    ours.length, CpuThreads.threads());
            if (!(max <= 2e-3)) throw new IllegalStateException("the two sides differ by " + max + ": not the same model and weights");
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        for (OnnxTensor t : feeds.values()) t.close();
        session.close();
    }

    /** Our forward under no-grad, its tensors released by the scope; returns a checksum so nothing is dead code. */
    @Benchmark
    public float groundwork() {
        try (var g = GradMode.noGrad(); TensorScope s = TensorScope.open()) {
            Tensor h = bert.forward(ids, types, mask).lastHiddenState();
            return h.contiguous().toFloatArray()[0];   // the whole output to the heap, as ONNX Runtime's getFloatBuffer
        }
    }

    /** ONNX Runtime's session on the same feeds; the result's native buffers are released by closing it. */
    @Benchmark
    public float onnxRuntime() throws OrtException {
        try (OrtSession.Result res = session.run(feeds)) {
            return ((OnnxTensor) res.get(0)).getFloatBuffer().get(0);
        }
    }
}
