package dev.groundwork.models.train;

/**
 * A training run's setting holds a value the run cannot use. The message is the setting's name followed
 * by the problem ("epochs must be a positive integer, got 0"); a command line puts its flag in place of
 * {@link #setting()} ("--n-epochs must be a positive integer, got 0"), so the library speaks of settings
 * and each front end of its own names for them.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private final String setting, problem;

    /** @param problem what is wrong, phrased to follow the setting's name: "must be ...", "names no file: ..." */
    public InvalidSettingException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
        this.problem = problem;
    }

    public String setting() { return setting; }

    public String problem() { return problem; }

    /** Fails with {@code problem} under {@code setting} unless {@code ok}. */
    public static void check(boolean ok, String setting, String problem) {
        if (!ok) throw new InvalidSettingException(setting, problem);
    }
}
