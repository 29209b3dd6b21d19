package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.interbert.data.VcrTask;

/** A VCR batch of one of the two jointly trained tasks: 4 candidates per question, one target per question. */
record VcrBatch(VcrTask.Kind kind, InterBertBatches.Pairs pairs) {}
