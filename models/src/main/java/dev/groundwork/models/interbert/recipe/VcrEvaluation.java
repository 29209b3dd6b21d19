package dev.groundwork.models.interbert.recipe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.io.AtomicFiles;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.DataLoader;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.InterBertWeights;
import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.interbert.data.VcrAnnotations;
import dev.groundwork.models.interbert.data.VcrTask;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.TrainedTask;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code gw eval vcr} (spec 5.2): the fine-tuned weights ({@link VcrSettings#init}, loaded strictly into
 * {@link InterBertForVLTasks}) on {@code val.jsonl}, eval mode, both tasks. Writes {@code QA_result.json}
 * and {@code QAR_result.json} as the original's {@code eval_tasks.py} does, one
 * {@code {"question_id": img_id, "answer": [p1..p4]}} per question in the annotation file's order (the
 * original's scorer aligns them by position, spec 8.18; so no record may be skipped here: a bad one stops
 * the evaluation), and {@code vcr.json} with Q→A, QA→R and Q→AR.
 */
public final class VcrEvaluation {
    public record Result(double qa, double qar, double qar2, int questions) {
        @Override
        public String toString() { return String.format(Locale.ROOT, "Q->A %.2f%%  QA->R %.2f%%  Q->AR %.2f%%  (%d questions)", qa, qar, qar2, questions); }
    }

    private VcrEvaluation() {}

    public static Result run(VcrSettings s, Path out, PrintStream log) throws IOException, DataException {
        InvalidSettingException.check(s.init() != null, "init", "must name the fine-tuned VCR weights to evaluate");
        Files.createDirectories(out);
        BertTokenizer tok = BertTokenizer.load(s.vocab());
        try (VcrData data = new VcrData(s, tok)) {
            InterBertConfig c = s.size().config(s.config(), tok.vocab().size(), data.detected.featureSize(), s.regionClasses(), false);
            InterBertForVLTasks model = new InterBertForVLTasks(c, FlickrFineTuning.NUM_LABELS, new Generator(0));
            // Flickr30K's files are the same network: only the stamp tells them apart.
            TrainedTask.require(s.init(), VcrFineTuning.TASK, "init");
            try {
                InterBertWeights.load(model, s.init(), true);
            } catch (RuntimeException e) {
                throw new InvalidSettingException("init", "cannot be evaluated on VCR: " + e.getMessage());
            }
            Device d = s.run().device();
            if (!d.equals(Device.CPU)) model.to(d);
            model.eval();
            VcrAnnotations val = data.annotations("val");
            float[][] qa = probabilities(model, data.task(val, VcrTask.Kind.Q_A), s, log), qar = probabilities(model, data.task(val, VcrTask.Kind.QA_R), s, log);
            write(out.resolve("QA_result.json"), val, qa);
            write(out.resolve("QAR_result.json"), val, qar);
            int n = val.questions().size(), a = 0, r = 0, both = 0;
            for (int i = 0; i < n; i++) {
                VcrAnnotations.Question q = val.questions().get(i);
                boolean okA = argmax(qa[i]) == q.answerLabel(), okR = argmax(qar[i]) == q.rationaleLabel();
                a += okA ? 1 : 0;
                r += okR ? 1 : 0;
                both += okA && okR ? 1 : 0;
            }
            Result res = new Result(100.0 * a / n, 100.0 * r / n, 100.0 * both / n, n);
            ObjectMapper json = new ObjectMapper();
            ObjectNode o = json.createObjectNode().put("q_a", res.qa()).put("qa_r", res.qar()).put("q_ar", res.qar2()).put("questions", n)
                    .put("weights", s.init().toAbsolutePath().normalize().toString());
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
            AtomicFiles.write(out.resolve("vcr.json"), ch -> ch.write(ByteBuffer.wrap(bytes)));
            return res;
        }
    }

    /** softmax over each question's four vil_logits, in annotation order. */
    private static float[][] probabilities(InterBertForVLTasks model, VcrTask task, VcrSettings s, PrintStream log) throws DataException {
        float[][] p = new float[task.size()][];
        DataLoader.Options o = DataLoader.Options.of(s.batchSize(), 0).shuffle(false).workers(s.run().workers());
        try (var g = GradMode.noGrad(); DataLoader<?, InterBertBatches.Pairs> loader = new DataLoader<>(task, InterBertBatches::pairs, o)) {
            int i = 0;
            var e = loader.epoch(0);
            for (InterBertBatches.Pairs b = e.nextBatch(); b != null; b = e.nextBatch()) {
                try (TensorScope scope = TensorScope.open()) {
                    float[] v = F.softmax(VcrJointTask.logits(model, RecipeData.move(b.inputs(), s.run().device())), 1).toFloatArray();
                    for (int q = 0; q < v.length / 4; q++, i++) p[i] = java.util.Arrays.copyOfRange(v, 4 * q, 4 * q + 4);
                }
            }
        }
        return p;
    }

    private static int argmax(float[] v) {
        int b = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[b]) b = k;
        return b;
    }

    private static void write(Path file, VcrAnnotations a, float[][] p) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode all = json.createArrayNode();
        for (int i = 0; i < p.length; i++) {
            ObjectNode n = all.addObject().put("question_id", a.questions().get(i).imgId());
            ArrayNode ans = n.putArray("answer");
            for (float x : p[i]) ans.add(x);
        }
        byte[] bytes = json.writeValueAsBytes(all);
        AtomicFiles.write(file, ch -> ch.write(ByteBuffer.wrap(bytes)));
    }
}
