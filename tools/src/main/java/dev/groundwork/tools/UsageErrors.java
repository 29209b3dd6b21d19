package dev.groundwork.tools;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A usage error as a script's log wants it: the problem, for a mistyped long option the nearest flags
 * of the command ("did you mean --learning-rate?"), for a flag of a sibling command which one takes it,
 * and where the help is; not the whole help text. Exit code 2, as every bad input.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("gw " + qualified(cmd) + ": " + e.getMessage());
        // A missing option is reported before an unknown one; the unknown ones still get their hints.
        List<String> unmatched = e instanceof UnmatchedArgumentException u ? u.getUnmatched()
                : cmd.getParseResult() != null ? cmd.getParseResult().unmatched() : List.of();
        for (String arg : unmatched)
            if (arg.startsWith("--")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (!(e instanceof UnmatchedArgumentException)) err.println("  unknown option: '" + name + "'");
                hint(cmd, name, err);
            }
        err.println("run 'gw " + qualified(cmd) + " --help' for its flags");
        err.flush();
        return Failures.BAD_INPUT;
    }

    /** Where {@code name} lives among the sibling commands, else the command's nearest flags. */
    private static void hint(CommandLine cmd, String name, PrintWriter err) {
        CommandLine parent = cmd.getParent();
        if (parent != null) {
            List<String> owners = new ArrayList<>();
            parent.getSubcommands().forEach((n, sub) -> {
                if (sub != cmd && sub.getCommandSpec().findOption(name) != null && !owners.contains(n)) owners.add(n);
            });
            if (!owners.isEmpty()) {
                err.println("  " + name + " is a flag of gw " + qualified(parent) + " " + String.join(", ", owners) + ", not of this command");
                return;
            }
        }
        List<String> near = nearest(cmd.getCommandSpec(), name);
        if (!near.isEmpty()) err.println("  did you mean " + String.join(" or ", near) + "?");
    }

    /** Long option names within edit distance 3 (or sharing a 4+ character stem), closest first, at most three. */
    static List<String> nearest(CommandSpec spec, String typed) {
        String t = norm(typed);
        record Cand(String name, int d) {}
        List<Cand> c = new ArrayList<>();
        for (OptionSpec o : spec.options())
            for (String n : o.names()) {
                if (!n.startsWith("--")) continue;
                int d = distance(t, norm(n));
                boolean stem = t.length() >= 4 && (norm(n).startsWith(t) || t.startsWith(norm(n)) && norm(n).length() >= 4);
                if (d <= Math.max(1, Math.min(3, t.length() / 3)) || stem) c.add(new Cand(o.longestName(), stem ? 0 : d));
            }
        return c.stream().sorted(Comparator.comparingInt(Cand::d)).map(Cand::name).distinct().limit(3).toList();
    }

    /** Case and separators do not count: --n_epochs, --N-Epochs and --nepochs are one spelling. */
    private static String norm(String s) { return s.replaceFirst("^-+", "").replace("_", "").replace("-", "").toLowerCase(Locale.ROOT); }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** "train two-stream" for a subcommand of train: the command's path under gw. */
    private static String qualified(CommandLine cmd) {
        List<String> names = new ArrayList<>();
        for (CommandLine c = cmd; c != null && c.getParent() != null; c = c.getParent()) names.addFirst(c.getCommandName());
        return String.join(" ", names);
    }
}
