package dev.groundwork.kernels.cuda;

import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.tensor.DType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kernels switch on Java enum ordinals: the CUDA enums must list the same names in the same order. */
class OpCodesTest {
    static final Path CUDA = Path.of(System.getProperty("gw.root", ".."), "kernels", "src", "main", "cuda");

    static List<String> cudaEnum(String file, String name, String prefix) throws Exception {
        String src = Files.readString(CUDA.resolve(file));
        Matcher m = Pattern.compile("enum\\s+" + Pattern.quote(name) + "\\s*\\{([^}]*)}").matcher(src);
        if (!m.find()) throw new AssertionError("enum " + name + " not found in " + file);
        List<String> out = new ArrayList<>();
        for (String s : m.group(1).split(",")) {
            String t = s.replaceAll("//.*", "").trim().replaceAll("\\s*=.*", "");
            if (!t.isEmpty()) out.add(t.substring(prefix.length()));
        }
        return out;
    }

    static List<String> names(Enum<?>[] values) { return Arrays.stream(values).map(Enum::name).toList(); }

    @Test
    void unaryAndBinaryOpsMatch() throws Exception {
        assertEquals(names(UnaryOp.values()), cudaEnum("ops.cuh", "GwUnaryOp", "U_"));
        assertEquals(names(BinaryOp.values()), cudaEnum("ops.cuh", "GwBinaryOp", "B_"));
    }

    @Test
    void reduceRandomAndDTypeCodesMatch() throws Exception {
        String reduce = Files.readString(CUDA.resolve("reduce.cu"));
        assertEquals(true, reduce.contains("R_SUM = " + ReduceOp.SUM.ordinal()) && reduce.contains("R_MAX = " + ReduceOp.MAX.ordinal())
                && reduce.contains("R_MIN = " + ReduceOp.MIN.ordinal()));
        String random = Files.readString(CUDA.resolve("random.cu"));
        for (Backend.RandomKind k : Backend.RandomKind.values())
            assertEquals(true, random.contains("K_" + k.name() + " = " + k.ordinal()), "random kind " + k);
        String common = Files.readString(CUDA.resolve("common.cuh"));
        for (DType d : DType.values())
            assertEquals(true, common.contains("GW_" + d.name() + " = " + d.ordinal()), "dtype " + d);
    }
}
