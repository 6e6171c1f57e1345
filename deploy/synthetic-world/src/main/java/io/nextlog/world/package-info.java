/**
 * The synthetic telecom world: customers with hidden preferences, their journeys, the channels'
 * catalogs and the customers' responses to offers, all derived from one seed. Every module's tests,
 * the benchmarks and the demo run against it; it depends only on the contracts and kafka-clients.
 *
 * <h2>Parts</h2>
 *
 * <ul>
 *   <li>{@link io.nextlog.world.WorldConfig}: seed, sizes, span, planted causes, preference shift,
 *       new campaign. Equal configurations give equal worlds, event for event.
 *   <li>{@link io.nextlog.world.SyntheticWorld}: the entry point. {@code eventsByUser()} streams
 *       the journeys in file order, {@code eventsByTime()} merges them in event-time order as a
 *       live feed would, {@code responses()} answers recommendations.
 *   <li>{@link io.nextlog.world.Population} and {@link io.nextlog.world.Customer}: personas ({@link
 *       io.nextlog.world.Persona}) with daily and weekly rhythms, home and work cells, device, plan
 *       and hidden preferences over {@link io.nextlog.world.Category categories}.
 *   <li>{@link io.nextlog.world.OfferCatalog}: the offers of t-universe, t-deal, t-membership and
 *       mno as {@code CatalogItem}s, with an expiring sale and a campaign that appears later.
 *   <li>{@link io.nextlog.world.ResponseModel}: impressions, clicks, conversions, dismissals and
 *       unsubscribes drawn from preference, fatigue and time of day.
 *   <li>{@link io.nextlog.world.JourneyFiles}: the journey file format below.
 *   <li>{@link io.nextlog.world.LiveWorld}: the Kafka mode; {@link io.nextlog.world.WorldCommand}
 *       the command line.
 * </ul>
 *
 * <h2>Journey file format, version 1</h2>
 *
 * A UTF-8 text file, gzip-compressed when its name ends in {@code .gz}. Lines end with {@code \n}.
 *
 * <ol>
 *   <li>Lines starting with {@code #} are comments and blank lines are ignored, anywhere. Writers
 *       start with {@code # nextlog journey format 1}.
 *   <li>The first other line is the header; it starts with the four tab-separated columns {@code
 *       user_id event_time_ms domain item}.
 *   <li>Each following line is one behavior event, its columns separated by one tab:
 *       <ul>
 *         <li>{@code user_id}: the pseudonymous user id ({@code u_} and 32 hex digits for {@code
 *             Pseudonymizer} ids);
 *         <li>{@code event_time_ms}: event time in UTC epoch milliseconds, a decimal integer;
 *         <li>{@code domain}: a {@code Domain} symbol other than {@code UNKNOWN}, e.g. {@code
 *             APP_USE};
 *         <li>{@code item}: the item id, non-empty, without tabs or line breaks, e.g. {@code
 *             app:melon}, {@code loc:cell-042}, {@code td:chicken-combo}.
 *       </ul>
 *   <li>Lines are sorted by {@code user_id} (ascending, by UTF-16 code units as {@link
 *       java.lang.String#compareTo} orders them), then by {@code event_time_ms} (non-decreasing);
 *       events with equal times keep their journey order. A user's events are therefore contiguous:
 *       one journey after another.
 *   <li>Columns after the fourth are reserved for later versions; readers ignore them, so a
 *       version-1 reader stays able to read newer files that only add columns.
 * </ol>
 *
 * Event ids and attributes are not part of the format: a journey file is what a model learns from,
 * not an archive of events. Example:
 *
 * <pre>
 * # nextlog journey format 1
 * user_id	event_time_ms	domain	item
 * u_0003a2863725a209dee0a59145a81b48	1717393380000	CALL	call:friend
 * u_0003a2863725a209dee0a59145a81b48	1717417620000	APP_USE	app:lol
 * u_0003a2863725a209dee0a59145a81b48	1717417740000	APP_USE	app:discord
 * </pre>
 */
package io.nextlog.world;
