package io.nextlog.trainer.eval;

import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.trainer.data.UserSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * The SASRec paper's leave-one-out split: per user, the last event is the test target, the one
 * before it the validation target, and the rest is training. Users with fewer than {@value
 * #MIN_EVALUATED_EVENTS} events are training-only: all their events train, none is evaluated. A
 * training-only user with a single event adds nothing, since it has no next event to predict.
 *
 * <p>Immutable.
 */
public final class LeaveOneOutSplit {

    /**
     * The fewest events a user needs to be evaluated: two to train on, one each to validate and
     * test.
     */
    public static final int MIN_EVALUATED_EVENTS = 4;

    private final List<User> users;

    private LeaveOneOutSplit(List<User> users) {
        this.users = List.copyOf(users);
    }

    /**
     * One user's part of the split.
     *
     * @param userId the user
     * @param training the training events, oldest first
     * @param validation the validation target; null for a training-only user
     * @param test the test target; null for a training-only user
     */
    public record User(
            String userId, List<JourneyStep> training, JourneyStep validation, JourneyStep test) {

        /** Returns whether the user is evaluated (has targets). */
        public boolean evaluated() {
            return test != null;
        }

        /** Returns what the model sees to predict the validation target: the training events. */
        public List<JourneyStep> validationInput() {
            return training;
        }

        /** Returns what the model sees to predict the test target: training plus validation. */
        public List<JourneyStep> testInput() {
            List<JourneyStep> input = new ArrayList<>(training.size() + 1);
            input.addAll(training);
            input.add(validation);
            return input;
        }
    }

    /** Splits every user; the order of {@code sequences} is kept. */
    public static LeaveOneOutSplit of(List<UserSequence> sequences) {
        List<User> users = new ArrayList<>(sequences.size());
        for (UserSequence sequence : sequences) {
            List<JourneyStep> steps = sequence.steps();
            int n = steps.size();
            if (n < MIN_EVALUATED_EVENTS) {
                users.add(new User(sequence.userId(), steps, null, null));
            } else {
                users.add(
                        new User(
                                sequence.userId(),
                                steps.subList(0, n - 2),
                                steps.get(n - 2),
                                steps.get(n - 1)));
            }
        }
        return new LeaveOneOutSplit(users);
    }

    /** Returns every user, evaluated or not. */
    public List<User> users() {
        return users;
    }

    /** Returns the evaluated users. */
    public List<User> evaluatedUsers() {
        return users.stream().filter(User::evaluated).toList();
    }

    /** Returns every user's training events, the sequences the model learns from. */
    public List<List<JourneyStep>> trainingSequences() {
        return users.stream().map(User::training).toList();
    }
}
