package dev.eksaccess.bench.probe;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Marks where each AWS SDK call of a cold start begins and ends, for the per-phase measurement (issue 14): a global
 * interceptor, which the SDK finds through {@value #REGISTRATION} on the class path. Only the phase run's extra jar
 * holds it and its registration, so the timed cold starts do not load it.
 */
public final class PhaseMarks implements ExecutionInterceptor {

    /** Where the SDK looks for global interceptors, one class name a line. */
    public static final String REGISTRATION = "software/amazon/awssdk/global/handlers/execution.interceptors";

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        ColdStartProbe.mark(ColdStartProbe.CALL_BEGIN + call(attributes));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        ColdStartProbe.mark(ColdStartProbe.CALL_END + call(attributes));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        ColdStartProbe.mark(ColdStartProbe.CALL_END + call(attributes) + " (failed)");
    }

    private static String call(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + " "
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }
}
