package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.io.SafeDType;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Real torch.save outputs (see make_fixtures.py) read back and compared with torch's own numbers. */
class TorchCheckpointTest {
    @Test
    void bertStateDictWithLegacyNames() throws Exception {
        TorchCheckpoint c = TorchCheckpoint.open(Fixtures.file("bert_legacy_names.bin"));
        assertEquals(CheckpointFormat.TORCH_ZIP, c.format());
        assertNull(c.wrapperKey());
        Fixtures.assertMatches("bert_legacy_names.bin", c.tensors(), Map.of());
    }

    @Test
    void torchvisionVggNames() throws Exception {
        Fixtures.assertMatches("vgg16_tiny.pth", TorchCheckpoint.load(Fixtures.file("vgg16_tiny.pth")), Map.of());
    }

    @Test
    void wrappedDataParallelCheckpointExposesItsPlainValues() throws Exception {
        TorchCheckpoint c = TorchCheckpoint.open(Fixtures.file("vgbert_stage1.pth.tar"));
        assertEquals("state_dict", c.wrapperKey());
        assertEquals(Map.of("epoch", 3L, "best_loss", 0.25, "arch", "vgbert"), c.values());
        Map<String, Tensor> t = c.tensors();
        assertEquals("module.image_model.0.weight", t.keySet().iterator().next());
        Fixtures.assertMatches("vgbert_stage1.pth.tar", t, Map.of());
    }

    @Test
    void viewsOffsetsStridesAndDtypes() throws Exception {
        TorchCheckpoint c = TorchCheckpoint.open(Fixtures.file("views_dtypes.pt"));
        Map<String, Tensor> t = c.tensors();
        Fixtures.assertMatches("views_dtypes.pt", t, Map.of());
        // base = arange(24).reshape(4, 6) * 0.5 - 3; sliced = base[1:3, 2:5], transposed = base.t()
        assertArrayEquals(new float[]{1, 1.5f, 2, 4, 4.5f, 5}, t.get("sliced").toFloatArray());
        assertArrayEquals(new float[]{-3, 0, 3, 6}, java.util.Arrays.copyOf(t.get("transposed").toFloatArray(), 4));
        assertEquals(DType.F32, t.get("half").dtype());
        assertEquals(DType.F64, t.get("double").dtype());
        assertEquals(DType.I64, t.get("flag").dtype());
        assertArrayEquals(new long[]{1, -2, 3, 1L << 40, -(1L << 35), 0}, t.get("long").toLongArray());
        assertEquals(0, t.get("scalar").dim());
        List<SafeDType> stored = c.tensorInfos().stream().map(TorchCheckpoint.TensorInfo::dtype).toList();
        assertEquals(List.of(SafeDType.F32, SafeDType.F32, SafeDType.F32, SafeDType.F16, SafeDType.BF16, SafeDType.F64,
                SafeDType.I64, SafeDType.I32, SafeDType.U8, SafeDType.BOOL, SafeDType.F32), stored);
        // Raw bytes keep the stored dtype: 2 bytes per half element.
        assertEquals(15 * 2, c.rawTensors().get("half").data().length);
    }

    @Test
    void legacyPre16Format() throws Exception {
        TorchCheckpoint c = TorchCheckpoint.open(Fixtures.file("bert_legacy_format.bin"));
        assertEquals(CheckpointFormat.TORCH_LEGACY, c.format());
        Fixtures.assertMatches("bert_legacy_format.bin", c.tensors(), Map.of());
    }
}
