package dev.eksaccess.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects an {@link AwsBackend} parameter into test constructors, lifecycle methods and
 * tests: {@code @ExtendWith(EmulatedAws.class)}.
 *
 * <p>The backend starts on first use and is kept in the root context's store, so every test class in the JVM shares
 * it and the slow start is paid once; JUnit closes it (an {@link AutoCloseable} store value) when the run ends.
 * Which backend is chosen by {@code -D}{@value BackendChoice#PROPERTY}.
 */
public final class EmulatedAws implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmulatedAws.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == AwsBackend.class;
    }

    @Override
    public AwsBackend resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(AwsBackend.class, type -> AwsBackends.start(), AwsBackend.class);
    }
}
