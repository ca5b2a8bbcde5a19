/**
 * Hyperparameter search: Bayesian optimisation with a Gaussian-process surrogate and expected
 * improvement ({@link dev.realitycheck.search.BayesianOptimizer}), over {@link
 * dev.realitycheck.search.Dimension}s mapped to the unit cube (log-scale and integer ranges
 * included). Written here because no maintained, permissively licensed Java library on Maven
 * Central offers it (Smile is GPL-3.0 in its current versions; the others found are unmaintained
 * Scala 2.11 builds); the linear algebra is commons-math3's.
 */
package dev.realitycheck.search;
