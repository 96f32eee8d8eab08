package dev.filesink.s3.client;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the HTTP attempts of a request that asks for it ({@link #ATTEMPTS}), so that the caller can tell when the
 * SDK retried a request that is not idempotent: a retried CreateMultipartUpload whose first answer was lost on the
 * way back started an upload that nobody knows of.
 */
final class AttemptCounter implements ExecutionInterceptor {

    static final ExecutionAttribute<AtomicInteger> ATTEMPTS = new ExecutionAttribute<>("filesink.attempts");

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        AtomicInteger attempts = attributes.getAttribute(ATTEMPTS);
        if (attempts != null) {
            attempts.incrementAndGet();
        }
    }
}
