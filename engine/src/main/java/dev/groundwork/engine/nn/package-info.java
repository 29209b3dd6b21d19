/**
 * Modules: parameters, buffers and children registered by name, so that a model's state dict uses
 * exactly PyTorch's dotted names and loads torch checkpoints one to one.
 *
 * <ul>
 *   <li>{@link dev.groundwork.engine.nn.Module}: naming, state dicts, train/eval, freezing by
 *       {@link dev.groundwork.engine.nn.NamePattern name pattern}, device and dtype moves.</li>
 *   <li>Layers with torch's parameter names and default initialisation, drawn from an explicit
 *       {@link dev.groundwork.engine.random.Generator}: Linear, Conv2d, LayerNorm, Embedding, Dropout,
 *       activations, pooling, Flatten; containers Sequential and ModuleList.</li>
 *   <li>{@link dev.groundwork.engine.nn.Init}: torch.nn.init's initialisers, written in place.</li>
 * </ul>
 *
 * <p>Parameters are only ever written in place ({@code copy_}) by initialisers, loaders and
 * optimizers, so every holder of a parameter tensor sees the same values.
 */
package dev.groundwork.engine.nn;
