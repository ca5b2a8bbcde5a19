/**
 * The gRPC face of the service: {@link dev.realitycheck.embedding.grpc.EmbeddingGrpcService}
 * validates and decodes requests ({@link dev.realitycheck.embedding.grpc.ItemInputs},
 * {@link dev.realitycheck.embedding.grpc.ImageDecoder}), runs them on the
 * {@link dev.realitycheck.embedding.serving serving}, {@link dev.realitycheck.embedding.batching batching}
 * and {@link dev.realitycheck.embedding.gallery gallery} packages, and encodes the answers
 * ({@link dev.realitycheck.embedding.grpc.PackedFloats}); {@link dev.realitycheck.embedding.grpc.Http2Windows}
 * sizes the HTTP/2 windows of its port. Nothing else in the service uses this package.
 */
package dev.realitycheck.embedding.grpc;
