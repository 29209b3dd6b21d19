package dev.groundwork.kernels;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * No package cycle in the kernels module's main sources: the packages, linked by their imports of
 * each other (static imports and fully qualified names in code included), form a DAG. Today:
 * backend → ops → cuda → memory, with blas and dnn beside them.
 */
class PackageCyclesTest {
    private static final Path MAIN = KernelSources.KERNELS.resolve("src/main/java");
    private static final String ROOT = "dev.groundwork.kernels";
    private static final Pattern USE = Pattern.compile("\\b" + Pattern.quote(ROOT) + "\\.(\\w+)\\.[A-Z]");

    /** package (relative to the module root, "" for the root) -> the module packages it uses. */
    static Map<String, Set<String>> graph() throws Exception {
        Map<String, Set<String>> g = new TreeMap<>();
        Path base = MAIN.resolve(ROOT.replace('.', '/'));
        try (Stream<Path> s = Files.walk(base)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = base.relativize(f.getParent());
                String pkg = rel.toString().replace('/', '.');
                Set<String> uses = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = USE.matcher(Files.readString(f));
                while (m.find()) if (!m.group(1).equals(pkg)) uses.add(m.group(1));
            }
        }
        return g;
    }

    /** A cycle through start, as a path, or null. */
    static List<String> cycleFrom(String start, Map<String, Set<String>> g) {
        Deque<List<String>> todo = new ArrayDeque<>();
        todo.push(List.of(start));
        while (!todo.isEmpty()) {
            List<String> path = todo.pop();
            for (String next : g.getOrDefault(path.get(path.size() - 1), Set.of())) {
                if (next.equals(start)) {
                    List<String> c = new ArrayList<>(path);
                    c.add(start);
                    return c;
                }
                if (!path.contains(next)) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    todo.push(longer);
                }
            }
        }
        return null;
    }

    @Test
    void thePackagesOfTheKernelsModuleFormNoCycle() throws Exception {
        Map<String, Set<String>> g = graph();
        assertTrue(g.containsKey("ops") && g.containsKey("backend") && g.containsKey("cuda"), "packages not found: " + g.keySet());
        for (String p : g.keySet()) {
            List<String> c = cycleFrom(p, g);
            assertNull(c, () -> "package cycle " + String.join(" -> ", c) + " in " + g);
        }
        assertFalse(g.get("ops").contains("backend"), "the host classes (ops) must not depend on the backend package");
    }

    @Test
    void aCycleIsFound() {
        assertEquals(List.of("a", "b", "a"), cycleFrom("a", Map.of("a", Set.of("b"), "b", Set.of("a"))));
        assertNull(cycleFrom("a", Map.of("a", Set.of("b"), "b", Set.of("c"))));
    }
}
