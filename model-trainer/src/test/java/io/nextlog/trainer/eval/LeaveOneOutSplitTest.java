package io.nextlog.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.trainer.data.UserSequence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SASRec leave-one-out split, user by user. */
class LeaveOneOutSplitTest {

    @Test
    void shouldHoldOutLastForTestAndSecondLastForValidation() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(List.of(user("u1", "a", "b", "c", "d", "e")));
        LeaveOneOutSplit.User user = split.users().get(0);

        assertTrue(user.evaluated());
        assertEquals(List.of("a", "b", "c"), items(user.training()));
        assertEquals("d", user.validation().getItem());
        assertEquals("e", user.test().getItem());
        assertEquals(List.of("a", "b", "c"), items(user.validationInput()));
        assertEquals(List.of("a", "b", "c", "d"), items(user.testInput()));
    }

    @Test
    void shouldKeepUsersWithFewerThanFourEventsForTrainingOnly() {
        LeaveOneOutSplit split =
                LeaveOneOutSplit.of(
                        List.of(user("short", "a", "b", "c"), user("four", "a", "b", "c", "d")));

        LeaveOneOutSplit.User shortUser = split.users().get(0);
        assertFalse(shortUser.evaluated());
        assertNull(shortUser.validation());
        assertEquals(List.of("a", "b", "c"), items(shortUser.training()));
        assertEquals(
                List.of("four"), split.evaluatedUsers().stream().map(u -> u.userId()).toList());
        assertEquals(List.of("a", "b"), items(split.trainingSequences().get(1)));
    }

    static UserSequence user(String id, String... items) {
        List<JourneyStep> steps = new ArrayList<>();
        Instant time = Instant.parse("2025-01-01T00:00:00Z");
        for (String item : items) {
            time = time.plusSeconds(60);
            steps.add(new JourneyStep(item, Domain.APP_USE, time));
        }
        return new UserSequence(id, steps);
    }

    static List<String> items(List<JourneyStep> steps) {
        return steps.stream().map(JourneyStep::getItem).toList();
    }
}
