package io.nextlog.ingest;

import java.util.Properties;

/** Ingest configs for tests: every default, the given overrides, no real addresses needed. */
final class TestConfigs {

    private TestConfigs() {}

    static IngestConfig with(String... keyValues) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", "127.0.0.1:1");
        props.setProperty("schema.registry.url", "http://127.0.0.1:1");
        for (String keyValue : keyValues) {
            int eq = keyValue.indexOf('=');
            props.setProperty(keyValue.substring(0, eq), keyValue.substring(eq + 1));
        }
        return IngestConfig.from(props);
    }
}
