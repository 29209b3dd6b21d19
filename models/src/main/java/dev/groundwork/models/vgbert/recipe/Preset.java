package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.models.vgbert.VgBertConfig;

/** Network sizes: the paper's (§0, §8) or the demo's ({@link VgBertConfig#demo()}). */
public enum Preset {
    PAPER("paper", 4096),
    DEMO("demo", 64);

    private final String id;
    private final int visualHidden;

    Preset(String id, int visualHidden) {
        this.id = id;
        this.visualHidden = visualHidden;
    }

    /** "paper" or "demo". */
    public String id() { return id; }

    /** The preset's networks before any per-run override. */
    public VgBertConfig config() { return this == DEMO ? VgBertConfig.demo() : VgBertConfig.paper(); }

    /** Stage-1 classifier hidden width: 4096 in the original (§1.6), 64 at demo size. */
    public int visualHidden() { return visualHidden; }

    @Override
    public String toString() { return id; }
}
