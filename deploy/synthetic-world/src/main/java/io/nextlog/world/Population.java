package io.nextlog.world;

import io.nextlog.schemas.identity.Pseudonymizer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The customers of one world, in user-id order, and how many behavior events each one's journey
 * holds. Ids come from a {@link Pseudonymizer} keyed from the seed, so they pass the platform's
 * pseudonymous-id check and differ between seeds. Immutable and thread-safe.
 */
public final class Population {

    private static final long PERSONA_STREAM = 1;
    private static final long SHIFT_STREAM = 2;
    private static final double PREFERENCE_SPREAD = 0.7;
    private static final double ACTIVITY_SPREAD = 0.5;

    private final List<Customer> customers;
    private final Map<String, Customer> byUserId;
    private final long[] eventBudgets;

    private Population(List<Customer> customers, long totalEvents) {
        this.customers = List.copyOf(customers);
        this.byUserId = new HashMap<>();
        for (Customer customer : customers) {
            byUserId.put(customer.userId(), customer);
        }
        this.eventBudgets = allocate(customers, totalEvents);
    }

    /** Creates the customers {@code config} describes. */
    public static Population create(WorldConfig config) {
        Pseudonymizer ids = new Pseudonymizer(keyFrom(config.seed()));
        List<Customer> customers = new ArrayList<>(config.customers());
        for (int i = 0; i < config.customers(); i++) {
            customers.add(draw(config, i, ids));
        }
        customers.sort(Comparator.comparing(Customer::userId));
        return new Population(customers, config.events());
    }

    private static byte[] keyFrom(long seed) {
        ByteBuffer key = ByteBuffer.allocate(32);
        for (int i = 0; i < 4; i++) {
            key.putLong(Seeds.mix(seed, 0xC0FFEE, i));
        }
        return key.array();
    }

    private static Customer draw(WorldConfig config, int index, Pseudonymizer ids) {
        SplittableRandom random = Seeds.random(config.seed(), PERSONA_STREAM, index);
        Persona persona = persona(random.nextDouble());
        int home = random.nextInt(BehaviorItems.CELLS);
        int work = persona.commutes() ? random.nextInt(BehaviorItems.CELLS) : home;
        String device = persona.devices().get(random.nextInt(persona.devices().size()));
        String plan = persona.plans().get(random.nextInt(persona.plans().size()));
        double activity = Math.exp(ACTIVITY_SPREAD * Seeds.gaussian(random));
        boolean tvHabit = random.nextDouble() < persona.weekendTvHabit();
        double[] preferences = preferences(persona, random);
        PreferenceShift shift = inShiftedGroup(config, index) ? config.preferenceShift() : null;
        String userId = ids.derive("synthetic-customer-" + index);
        return new Customer(
                index,
                userId,
                persona,
                home,
                work,
                device,
                plan,
                activity,
                tvHabit,
                preferences,
                shift);
    }

    private static Persona persona(double draw) {
        double cumulative = 0;
        for (Persona persona : Persona.values()) {
            cumulative += persona.populationShare();
            if (draw < cumulative) {
                return persona;
            }
        }
        return Persona.values()[Persona.values().length - 1];
    }

    /** The persona's prior, each weight scaled by a log-normal draw, normalised to shares. */
    private static double[] preferences(Persona persona, SplittableRandom random) {
        Category[] categories = Category.values();
        double[] shares = new double[categories.length];
        double total = 0;
        for (Category category : categories) {
            double weight =
                    persona.prior(category) * Math.exp(PREFERENCE_SPREAD * Seeds.gaussian(random));
            shares[category.ordinal()] = weight;
            total += weight;
        }
        for (int i = 0; i < shares.length; i++) {
            shares[i] /= total;
        }
        return shares;
    }

    private static boolean inShiftedGroup(WorldConfig config, int index) {
        PreferenceShift shift = config.preferenceShift();
        return shift != null
                && Seeds.random(config.seed(), SHIFT_STREAM, index).nextDouble()
                        < shift.customerFraction();
    }

    /**
     * Splits {@code total} over the customers in proportion to their activity, by largest
     * remainder, so that the budgets add up to {@code total} exactly.
     */
    private static long[] allocate(List<Customer> customers, long total) {
        double activitySum = 0;
        for (Customer customer : customers) {
            activitySum += customer.activity();
        }
        long[] budgets = new long[customers.size()];
        double[] remainders = new double[customers.size()];
        long assigned = 0;
        for (int i = 0; i < budgets.length; i++) {
            double exact = total * customers.get(i).activity() / activitySum;
            budgets[i] = (long) Math.floor(exact);
            remainders[i] = exact - budgets[i];
            assigned += budgets[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < budgets.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -remainders[i]));
        for (int k = 0; assigned < total; k++, assigned++) {
            budgets[order.get(k)]++;
        }
        return budgets;
    }

    /** All customers in ascending user-id order. */
    public List<Customer> customers() {
        return customers;
    }

    /** Number of customers. */
    public int size() {
        return customers.size();
    }

    /** The customer with this user id, if there is one. */
    public Optional<Customer> find(String userId) {
        return Optional.ofNullable(byUserId.get(userId));
    }

    /** How many behavior events the journey of the customer at {@code position} holds. */
    long eventBudget(int position) {
        return eventBudgets[position];
    }
}
