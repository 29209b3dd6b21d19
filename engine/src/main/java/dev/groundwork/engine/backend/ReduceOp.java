package dev.groundwork.engine.backend;

/** Reductions along one dimension. MAX and MIN also report the index of the (first) extreme. */
public enum ReduceOp { SUM, MAX, MIN }
