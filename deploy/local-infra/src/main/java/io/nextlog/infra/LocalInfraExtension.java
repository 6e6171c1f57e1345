package io.nextlog.infra;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that starts one real Kafka broker (in-process, KRaft) and one real Apicurio
 * Registry (child JVM) per test run, on free loopback ports, and stops both when the run ends,
 * deleting their folders. Test classes receive the addresses as a {@link LocalInfra} parameter.
 *
 * <p>Both servers are started lazily by the first test class that needs them and shared by every
 * later one in the same JVM; tests isolate themselves by using their own topic names and subjects.
 */
public final class LocalInfraExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(LocalInfraExtension.class);
    private static final String KEY = LocalInfraExtension.class.getName();

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalInfra.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    private static SharedInfra shared(ExtensionContext context) {
        ExtensionContext.Store store =
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return store.getOrComputeIfAbsent(KEY, key -> SharedInfra.start(), SharedInfra.class);
    }

    /** The running servers; JUnit closes it when the root context closes. */
    static final class SharedInfra implements LocalInfra, AutoCloseable {
        private final LocalKafka kafka;
        private final LocalRegistry registry;

        private SharedInfra(LocalKafka kafka, LocalRegistry registry) {
            this.kafka = kafka;
            this.registry = registry;
        }

        static SharedInfra start() {
            long started = System.nanoTime();
            LocalKafka kafka = LocalKafka.start();
            LocalRegistry registry;
            try {
                registry = LocalRegistry.start();
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            LOG.info(
                    "local infrastructure up in {} ms: kafka {} registry {}",
                    (System.nanoTime() - started) / 1_000_000,
                    kafka.bootstrapServers(),
                    registry.confluentUrl());
            return new SharedInfra(kafka, registry);
        }

        @Override
        public String bootstrapServers() {
            return kafka.bootstrapServers();
        }

        @Override
        public String registryUrl() {
            return registry.confluentUrl();
        }

        @Override
        public void close() {
            try {
                registry.close();
            } finally {
                kafka.close();
            }
        }
    }
}
