/**
 * Galleries: named sets of labelled items ({@link dev.realitycheck.embedding.gallery.Gallery}),
 * embedded with one checkpoint at a time through a
 * {@link dev.realitycheck.embedding.serving.ModelLease} and searched with a
 * {@link dev.realitycheck.embedding.gallery.GalleryIndex} (exact or HNSW); dataset splits become
 * gallery items through {@link dev.realitycheck.embedding.gallery.DatasetSplitSource}.
 */
package dev.realitycheck.embedding.gallery;
