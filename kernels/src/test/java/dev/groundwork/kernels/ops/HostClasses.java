package dev.groundwork.kernels.ops;

import dev.groundwork.kernels.KernelSources;
import dev.groundwork.kernels.cuda.EntryPoint;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The classes of package {@code ops} (read off the compiled classes, from a folder or a jar) and the
 * entry points they declare: static fields of type {@link EntryPoint}, or collections of them (a
 * template's instances), whatever their visibility.
 */
final class HostClasses {
    private HostClasses() {}

    /** Every top-level class of the ops package. */
    static List<Class<?>> all() throws IOException, URISyntaxException, ClassNotFoundException {
        Path where = Path.of(AttentionKernels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String dir = KernelSources.OPS_PACKAGE.replace('.', '/') + "/";
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> s = Files.list(where.resolve(dir))) {
                s.map(p -> p.getFileName().toString()).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(dir) && n.indexOf('/', dir.length()) < 0)
                        .map(n -> n.substring(dir.length())).forEach(names::add);
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names.stream().filter(n -> n.endsWith(".class") && !n.contains("$")).sorted().toList())
            out.add(Class.forName(KernelSources.OPS_PACKAGE + "." + n.substring(0, n.length() - 6)));
        return out;
    }

    /** The entry points c declares as static constants. */
    static List<EntryPoint> entryPoints(Class<?> c) throws IllegalAccessException {
        List<EntryPoint> out = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            Object v = f.get(null);
            if (v instanceof EntryPoint e) out.add(e);
            else if (v instanceof Collection<?> col) for (Object o : col) { if (o instanceof EntryPoint e) out.add(e); }
            else if (v instanceof Map<?, ?> map) for (Object o : map.values()) { if (o instanceof EntryPoint e) out.add(e); }
        }
        return out;
    }
}
