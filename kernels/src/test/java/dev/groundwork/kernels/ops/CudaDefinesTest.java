package dev.groundwork.kernels.ops;

import dev.groundwork.kernels.KernelSources;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.Launcher;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Tile sizes and block shapes are written once, in the CUDA headers and sources: each Java constant
 * that mirrors one ({@link CudaDefine}) holds the {@code #define}'s value, each such macro is defined
 * exactly once across src/main/cuda, and no two constants mirror the same macro.
 */
class CudaDefinesTest {
    private static final Pattern DEFINE = Pattern.compile("(?m)^\\s*#define\\s+(\\w+)\\s+(\\d+)\\b");

    /** Every integer #define of src/main/cuda: name -> the values it is given (one, if written once). */
    static Map<String, List<Integer>> defines() throws Exception {
        Map<String, List<Integer>> out = new HashMap<>();
        try (Stream<Path> s = Files.list(KernelSources.SOURCES)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".cu") || f.toString().endsWith(".cuh")).toList()) {
                Matcher m = DEFINE.matcher(Files.readString(p));
                while (m.find()) out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            }
        }
        return out;
    }

    static List<Field> mirrored() throws Exception {
        List<Class<?>> classes = new ArrayList<>(HostClasses.all());
        classes.add(Launcher.class);
        List<Field> out = new ArrayList<>();
        for (Class<?> c : classes)
            for (Field f : c.getDeclaredFields())
                if (f.isAnnotationPresent(CudaDefine.class)) out.add(f);
        return out;
    }

    @Test
    void everyMirroredConstantHoldsItsDefinesValue() throws Exception {
        Map<String, List<Integer>> defines = defines();
        List<String> wrong = new ArrayList<>();
        Map<String, String> mirroredBy = new HashMap<>();
        List<Field> fields = mirrored();
        for (Field f : fields) {
            String name = f.getAnnotation(CudaDefine.class).value(), where = f.getDeclaringClass().getSimpleName() + "." + f.getName();
            String before = mirroredBy.put(name, where);
            if (before != null) wrong.add(name + " is mirrored twice: " + before + " and " + where);
            List<Integer> values = defines.get(name);
            f.setAccessible(true);
            int have = f.getInt(null);
            if (values == null) wrong.add(where + " mirrors " + name + ", which no CUDA source defines as an integer");
            else if (values.size() != 1) wrong.add(name + " is defined " + values.size() + " times: " + values);
            else if (values.get(0) != have) wrong.add(where + " = " + have + " but " + name + " = " + values.get(0));
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(fields.size() >= 15, "only " + fields.size() + " mirrored constants found");
    }
}
