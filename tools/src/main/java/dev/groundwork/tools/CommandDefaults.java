package dev.groundwork.tools;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults that depend on the command, for options shared through mixins: picocli asks this provider
 * (named in the command's {@code defaultValueProvider}), and it asks the command. The help's
 * {@code ${DEFAULT-VALUE}} then shows the value that applies, written once where it is decided.
 */
public final class CommandDefaults implements IDefaultValueProvider {
    /** A command that states defaults for some of its options, by longest name. */
    interface Source {
        /** The default of {@code option} as its text on the command line, or null for none. */
        String defaultFor(String option);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || !(arg.command().userObject() instanceof Source s)) return null;
        return s.defaultFor(o.longestName());
    }
}
