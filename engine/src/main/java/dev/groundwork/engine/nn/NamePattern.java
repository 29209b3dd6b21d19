package dev.groundwork.engine.nn;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Patterns over dotted parameter names, used by {@link Module#freeze} and {@link Module#unfreeze}.
 *
 * <ul>
 *   <li>{@code re:<regex>}: a {@link java.util.regex} expression that must match the whole name,
 *       e.g. {@code re:encoder\.layer\.(0|1)\..*}.</li>
 *   <li>anything else is a glob: {@code *} matches any run of characters, dots included (as in
 *       Python's fnmatch), {@code ?} matches one character, everything else is literal. A glob
 *       matches a name when it matches the whole name or a module prefix of it (the name cut at a
 *       dot), so {@code encoder.layer.1} selects every parameter of layer 1 but none of layer 10,
 *       while {@code encoder.layer.1*} selects layers 1, 10, 11, ...</li>
 * </ul>
 */
public final class NamePattern {
    static final String REGEX_PREFIX = "re:";

    private NamePattern() {}

    public static Predicate<String> compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) throw new IllegalArgumentException("empty name pattern");
        if (pattern.startsWith(REGEX_PREFIX)) {
            try {
                Pattern p = Pattern.compile(pattern.substring(REGEX_PREFIX.length()));
                return name -> p.matcher(name).matches();
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression in name pattern '" + pattern + "': " + e.getDescription(), e);
            }
        }
        Pattern glob = Pattern.compile(globToRegex(pattern));
        return name -> {
            if (glob.matcher(name).matches()) return true;
            // Try each module prefix, so that naming a module selects everything inside it.
            for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1))
                if (glob.matcher(name.substring(0, dot)).matches()) return true;
            return false;
        };
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) sb.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                sb.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) sb.append(Pattern.quote(literal.toString()));
        return sb.toString();
    }
}
