package dev.groundwork.engine.settings;

import dev.groundwork.engine.tensor.Device;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    @Test
    void switchesShareOneRule() {
        for (String on : new String[]{"1", "true", "TRUE", "yes", "On", " 1 "})
            assertTrue(Settings.of(Map.of("GW_ATTENTION_BF16", on)).attentionBf16(), on);
        for (String off : new String[]{"0", "false", "False", "no", "OFF"})
            assertFalse(Settings.of(Map.of("GW_TF32", off)).tf32(), off);
    }

    @Test
    void unsetOrBlankMeansTheDefault() {
        Settings empty = Settings.of(Map.of()), blank = Settings.of(Map.of("GW_TF32", " ", "GW_DEVICE", "", "GW_FUSED", ""));
        for (Settings s : List.of(empty, blank)) {
            assertTrue(s.tf32());
            assertTrue(s.fused());
            assertTrue(s.cudnn());
            assertFalse(s.attentionBf16());
            assertFalse(s.matchmapTf32());
            assertEquals(Device.CPU, s.device());
        }
    }

    @Test
    void aValueNotUnderstoodIsAnErrorNamingTheVariable() {
        var e = assertThrows(SettingsException.class, () -> Settings.of(Map.of("GW_FUSED", "maybe")).fused());
        assertTrue(e.getMessage().startsWith("GW_FUSED='maybe': expected 1/0, true/false"), e.getMessage());
        var d = assertThrows(SettingsException.class, () -> Settings.of(Map.of("GW_DEVICE", "gpu")).device());
        assertTrue(d.getMessage().contains("GW_DEVICE='gpu'") && d.getMessage().contains("cuda:N"), d.getMessage());
        var t = assertThrows(SettingsException.class, () -> Settings.of(Map.of("GW_THREADS", "0")).threads());
        assertTrue(t.getMessage().contains("positive integer"), t.getMessage());
    }

    @Test
    void validateReportsEveryBadVariableAtOnce() {
        var e = assertThrows(SettingsException.class, () -> Settings.of(Map.of("GW_TF32", "2", "GW_DEVICE", "tpu")).validate());
        assertTrue(e.getMessage().contains("GW_TF32='2'") && e.getMessage().contains("GW_DEVICE='tpu'"), e.getMessage());
        Settings.of(Map.of("GW_DEVICE", "cuda:1", "GW_THREADS", "3")).validate();
    }

    @Test
    void typedValues() {
        Settings s = Settings.of(Map.of("GW_DEVICE", "cuda:1", "GW_THREADS", "3", "GW_CUDA_LIBS", "/a: /b::", "GW_GOLDEN", "/g"));
        assertEquals(Device.cuda(1), s.device());
        assertEquals(3, s.threads());
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), s.cudaLibs());
        assertEquals(Path.of("/g"), s.golden().orElseThrow());
    }
}
