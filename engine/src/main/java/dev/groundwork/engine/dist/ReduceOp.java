package dev.groundwork.engine.dist;

/** How {@link Communicator#allReduce} and {@link Communicator#reduceScatter} combine the ranks' values. */
public enum ReduceOp {
    SUM,
    /** The sum, then multiplied by 1/size on every rank (the same multiplication everywhere, so results stay identical). */
    AVERAGE
}
