/**
 * The image input pipeline: decoded images ({@link dev.realitycheck.data.images.ImageSource}) to
 * float NHWC batches for a model. The paper's transforms ({@link dev.realitycheck.train.images.TrainingTransform}:
 * resize, {@link dev.realitycheck.train.images.RandomResizedCrop}, flip;
 * {@link dev.realitycheck.train.images.EvaluationTransform}: resize, centre crop) with Pillow's
 * antialiased {@link dev.realitycheck.train.images.Bilinear} resampling,
 * {@link dev.realitycheck.train.images.Normalisation} from the model's preprocessing, and
 * {@link dev.realitycheck.train.images.ImagePipeline}: worker threads, a bounded prefetch, and
 * the same batches for the same seed whatever the number of workers.
 */
package dev.realitycheck.train.images;
