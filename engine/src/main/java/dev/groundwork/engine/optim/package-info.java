/**
 * Optimizers, learning-rate schedules, gradient clipping and weight averaging.
 *
 * <p>Every update runs outside autograd and writes parameters in place ({@code copy_}), so modules
 * keep pointing at the same tensors. Optimizer state is exposed as a flat {@code Map<String, Tensor>}
 * ({@code state.<i>.exp_avg}, {@code param_groups.<g>.lr}, ...) that a safetensors checkpoint can
 * hold as is and that restores training bit for bit.
 */
package dev.groundwork.engine.optim;
