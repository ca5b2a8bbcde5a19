/**
 * Colour photographs as datasets hold them: decoded RGB images ({@link dev.realitycheck.data.images.RgbImage})
 * read by index from an {@link dev.realitycheck.data.images.ImageSource}.
 */
package dev.realitycheck.data.images;
