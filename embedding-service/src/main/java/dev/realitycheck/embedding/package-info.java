/**
 * The embedding-service: gRPC embedding serving and gallery search over the checkpoints it follows
 * on Kafka. This package holds its settings ({@link dev.realitycheck.embedding.EmbeddingConfig}) and
 * the enums they are written in ({@link dev.realitycheck.embedding.Policy},
 * {@link dev.realitycheck.embedding.GalleryIndexKind}); the work is in one package per feature, each
 * using only the ones listed before it:
 *
 * <ul>
 *   <li>{@link dev.realitycheck.embedding.batching}: server-side micro-batching of concurrent
 *       requests and the request deadlines it honours;</li>
 *   <li>{@link dev.realitycheck.embedding.serving}: the loaded checkpoints, the one served by
 *       policy, and the Kafka follower that loads them;</li>
 *   <li>{@link dev.realitycheck.embedding.gallery}: named galleries, their nearest-neighbour
 *       indexes, and dataset splits as gallery items;</li>
 *   <li>{@link dev.realitycheck.embedding.grpc}: the gRPC service, request decoding, and the HTTP/2
 *       settings of its port.</li>
 * </ul>
 */
package dev.realitycheck.embedding;
