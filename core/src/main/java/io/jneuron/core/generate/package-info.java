/**
 * The generation loop every backend shares: static-shape batching and padding, sampling, EOS and
 * length stops, streaming detokenization and timings. Backends only implement
 * {@link io.jneuron.core.backend.DecodeSession}; everything above one prefill or decode step lives here.
 *
 * <p>Entry point: {@link io.jneuron.core.generate.Generator#generate}.
 */
package io.jneuron.core.generate;
