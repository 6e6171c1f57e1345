package io.nextlog.infra;

/**
 * Addresses of the broker and registry shared by all integration tests of one test run. Inject it
 * into a test method or constructor of a class annotated with {@link
 * org.junit.jupiter.api.extension.ExtendWith} {@code (LocalInfraExtension.class)}.
 */
public interface LocalInfra {

    /** The {@code bootstrap.servers} value, e.g. {@code 127.0.0.1:41234}. */
    String bootstrapServers();

    /**
     * The Confluent-compatible registry base URL, e.g. {@code
     * http://127.0.0.1:8081/apis/ccompat/v7}.
     */
    String registryUrl();
}
