/**
 * The checkpoint model format: how an embedding network travels from the trainer to the services.
 *
 * <p>A checkpoint model is an inference-only TensorFlow SavedModel (tag {@code serve}) whose
 * signature {@code embed} maps one input {@code images} (float32, {@code [-1, D]} or
 * {@code [-1, H, W, C]}, raw values) to one output {@code embeddings} (float32 {@code [-1, E]},
 * rows of unit L2 norm); see {@link dev.realitycheck.model.EmbedSignature}. The
 * {@link dev.realitycheck.model.ModelSpec} (input shape, {@link dev.realitycheck.model.Preprocessing},
 * embedding size) is what the Kafka manifest says about it.
 *
 * <ul>
 *   <li>Networks: an {@link dev.realitycheck.model.Architecture} ({@link dev.realitycheck.model.MlpArchitecture},
 *       {@link dev.realitycheck.model.CnnArchitecture}, {@link dev.realitycheck.model.ResNetArchitecture};
 *       factories in {@link dev.realitycheck.model.EmbeddingNetworks}) plus
 *       {@link dev.realitycheck.model.Weights}, seeded for an untrained baseline, read from a trainer,
 *       or, for a {@link dev.realitycheck.model.PretrainedTrunk}, read strictly from a weight file
 *       ({@link dev.realitycheck.model.PretrainedWeights}: safetensors or Keras {@code .h5}).</li>
 *   <li>Writing: {@link dev.realitycheck.model.SavedModelExporter} builds a fresh inference graph
 *       and exports it; the same weights give the same bytes.</li>
 *   <li>Reading: {@link dev.realitycheck.model.SavedModelEmbedder} loads and checks a model and
 *       embeds batches, thread-safely.</li>
 *   <li>Moving: {@link dev.realitycheck.model.SavedModelArchive} packs a model directory into one
 *       deterministic zip with its SHA-256 ({@link dev.realitycheck.model.PackedModel}) and unpacks
 *       one safely within {@link dev.realitycheck.model.ArchiveLimits}.</li>
 * </ul>
 *
 * <p>Every TensorFlow resource (graph, session, tensor, result, bundle) is closed where it is
 * created, or by the {@code close()} of the object that owns it. A model that is not valid is
 * reported as an {@link dev.realitycheck.model.InvalidModelException} naming the model's path and
 * the problem.
 */
package dev.realitycheck.model;
