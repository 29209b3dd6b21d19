package dev.groundwork.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gw eval}: groups the evaluation jobs. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate trained models: cross-modal retrieval (VG-BERT, InterBERT), VCR, semantic word spaces.",
        subcommands = {EvalRetrievalCommand.class, EvalSemanticCommand.class, EvalInterBertCommand.Retrieval.class, EvalInterBertCommand.Vcr.class})
public final class EvalCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }
}
