package io.nextlog.schemas.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.channel.Channels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfraExtension.class)
class TopicCreatorIT {

    @Test
    void shouldCreateTheCatalogOnceAndReportDrift(LocalInfra infra) throws Exception {
        TopicCatalog catalog = TopicCatalog.local();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            TopicCreator creator = new TopicCreator(admin);

            TopicCreator.Report first = creator.ensure(catalog.all(), (short) 1);
            TopicCreator.Report second = creator.ensure(catalog.all(), (short) 1);
            TopicCatalog resized =
                    TopicCatalog.of(
                            Channels.defaults(),
                            new TopicSettings(3, (short) 1, Duration.ofDays(7)));
            TopicCreator.Report drift = creator.ensure(resized.all(), (short) 1);

            assertEquals(catalog.all().size(), first.created().size() + first.existing().size());
            assertTrue(first.isConsistent());
            assertEquals(List.of(), second.created());
            assertEquals(catalog.all().size(), second.existing().size());
            assertTrue(
                    drift.mismatches().contains("behavior-events: expected 3 partitions, found 6"),
                    drift.mismatches().toString());

            ConfigResource releases =
                    new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.MODEL_RELEASES);
            Config config = admin.describeConfigs(List.of(releases)).all().get().get(releases);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }
}
