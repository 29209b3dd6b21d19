/**
 * VG-BERT's research ops (spec §3-§5) behind the facade {@link dev.groundwork.engine.ops.vgbert.VgBertOps}:
 * each op is a composite of the engine's primitives with its backward beside it, and declares the
 * interface of its fused kernel as a nested {@code Kernel}, which a backend may return from
 * {@code Backend.kernel(Class)}. This package depends on {@code ops}; {@code ops}, {@code F} and
 * {@code Backend} know nothing of it, so InterBERT's ops follow in a package of their own the same way.
 */
package dev.groundwork.engine.ops.vgbert;
