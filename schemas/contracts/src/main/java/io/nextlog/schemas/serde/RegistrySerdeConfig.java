package io.nextlog.schemas.serde;

import java.util.Map;

/**
 * Configuration keys the registry serde reads from a Kafka client's configuration when Kafka
 * instantiates it by class name.
 */
public final class RegistrySerdeConfig {

    /** Base URL of the Confluent-compatible registry API. Required. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

    /**
     * Whether the serializer registers a schema the subject does not hold yet. Default false:
     * production registers schemas ahead of deployment, so a client cannot change a contract.
     */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

    /** Fully qualified generated class the value deserializer reads into. */
    public static final String VALUE_TYPE = "nextlog.avro.value.type";

    /** Fully qualified generated class the key deserializer reads into. */
    public static final String KEY_TYPE = "nextlog.avro.key.type";

    private RegistrySerdeConfig() {}

    static String registryUrl(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException(
                    SCHEMA_REGISTRY_URL + ": expected the registry base URL, found nothing");
        }
        return url.toString();
    }

    static boolean autoRegister(Map<String, ?> configs) {
        Object value = configs.get(AUTO_REGISTER_SCHEMAS);
        return value != null && Boolean.parseBoolean(value.toString());
    }
}
