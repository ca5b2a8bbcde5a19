/**
 * Reading and writing the data files the library works on.
 *
 * <ul>
 *   <li>NumPy {@code .npy} arrays (format versions 1.0, 2.0 and 3.0): embeddings as 2-D float
 *       matrices and labels as 1-D integer arrays, through {@link dev.realitycheck.data.Npy}.</li>
 *   <li>IDX files of the MNIST family, raw or gzip-compressed, through
 *       {@link dev.realitycheck.data.Idx}; directories laid out like Fashion-MNIST through
 *       {@link dev.realitycheck.data.MnistDirectory} and {@link dev.realitycheck.data.FashionMnist}.</li>
 * </ul>
 *
 * <p>A file whose contents break its format is reported as a
 * {@link dev.realitycheck.data.DataFileException} (an {@link java.io.IOException}) whose message
 * names the file and the exact problem.
 */
package dev.realitycheck.data;
