package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.data.FeatureLmdb;
import dev.groundwork.models.interbert.data.VcrAnnotations;
import dev.groundwork.models.interbert.data.VcrTask;
import dev.groundwork.models.text.BertTokenizer;

import java.util.List;

/**
 * The VCR folder opened once: both feature stores (detected and ground-truth boxes, merged per question by
 * {@link VcrTask}), the name table and a split's annotations. Person names are drawn from the run's seed,
 * once per question (spec 8.17).
 */
final class VcrData implements AutoCloseable {
    final FeatureLmdb detected, groundTruth;
    final List<String> names;
    private final VcrSettings s;
    private final BertTokenizer tok;

    VcrData(VcrSettings s, BertTokenizer tok) throws DataException {
        this.s = s;
        this.tok = tok;
        this.detected = FeatureLmdb.open(s.data().resolve(VcrSettings.DETECTED), 0);
        FeatureLmdb gt;
        try {
            gt = FeatureLmdb.open(s.data().resolve(VcrSettings.GROUND_TRUTH), detected.featureSize());
        } catch (DataException | RuntimeException e) {
            detected.close();
            throw e;
        }
        this.groundTruth = gt;
        this.names = VcrAnnotations.nameTable(s.data().resolve(VcrSettings.NAMES));
    }

    VcrAnnotations annotations(String split) throws DataException { return VcrAnnotations.read(s.data().resolve(split + ".jsonl")); }

    VcrTask task(VcrAnnotations a, VcrTask.Kind kind) {
        int length = kind == VcrTask.Kind.Q_A ? s.qaLength() : s.qarLength();
        return new VcrTask(a, detected, groundTruth, names, s.data().resolve(VcrSettings.IMAGES), tok, kind, length, s.regions(), s.run().seed());
    }

    @Override
    public void close() {
        try {
            detected.close();
        } finally {
            groundTruth.close();
        }
    }
}
