package dev.eksaccess.cdk;

import dev.eksaccess.contract.AccountId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Schedule;
import software.constructs.Construct;

/**
 * The adoption function's context keys (docs/adopt.md): {@code adoptionSchedule}, {@code adoptionRegions} and
 * {@code adoptionAccounts}, read from the stack's context and checked, each error naming its key.
 *
 * @param schedule when it runs by itself; empty: only on demand ({@code eks-access adopt})
 * @param regions  where it lists clusters; empty: the stack's region
 * @param accounts the member accounts the scheduled run looks in, the event's {@code "accounts"}; empty: the
 *                 deployment's {@code memberAccounts}
 */
record AdoptionSettings(Optional<Schedule> schedule, List<String> regions, List<String> accounts) {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern EXPRESSION = Pattern.compile("(rate|cron)\\(.+\\)");

    /**
     * @param memberAccounts the deployment's member account list; with {@code organizationMembers} (which lists
     *                       none) any account of the organization may be named
     */
    static AdoptionSettings from(Construct scope, List<String> memberAccounts, boolean organizationMembers) {
        List<String> problems = new ArrayList<>();
        Object scheduleValue = scope.getNode().tryGetContext(ContextKey.ADOPTION_SCHEDULE.key());
        Optional<Schedule> schedule = Optional.empty();
        if (scheduleValue != null && !"off".equals(scheduleValue)) {
            String text = scheduleValue.toString();
            if (text.equals("daily")) {
                schedule = Optional.of(Schedule.rate(Duration.days(1)));
            } else if (EXPRESSION.matcher(text).matches()) {
                schedule = Optional.of(Schedule.expression(text));
            } else {
                problems.add(problem(ContextKey.ADOPTION_SCHEDULE, text));
            }
        }
        List<String> regions = new ArrayList<>();
        Object regionsValue = scope.getNode().tryGetContext(ContextKey.ADOPTION_REGIONS.key());
        if (regionsValue != null) {
            List<?> values = regionsValue instanceof List<?> list ? list : List.of(regionsValue.toString().split(","));
            for (Object value : values) {
                String region = String.valueOf(value).strip();
                if (!REGION.matcher(region).matches()) {
                    problems.add(problem(ContextKey.ADOPTION_REGIONS, region));
                } else if (!regions.contains(region)) {
                    regions.add(region);
                }
            }
        }
        List<String> accounts = new ArrayList<>();
        Object accountsValue = scope.getNode().tryGetContext(ContextKey.ADOPTION_ACCOUNTS.key());
        if (accountsValue != null) {
            List<?> values = accountsValue instanceof List<?> list ? list : List.of(accountsValue.toString().split(","));
            for (Object value : values) {
                String account = String.valueOf(value).strip();
                if (!AccountId.isValid(account)) {
                    problems.add(problem(ContextKey.ADOPTION_ACCOUNTS, account));
                } else if (!organizationMembers && !memberAccounts.contains(account)) {
                    problems.add(ContextKey.ADOPTION_ACCOUNTS.key() + ": '" + account + "' is not one of memberAccounts "
                            + memberAccounts + "; adoption looks only in accounts the deployment manages");
                } else if (!accounts.contains(account)) {
                    accounts.add(account);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new AdoptionSettings(schedule, regions, accounts);
    }

    private static String problem(ContextKey key, String value) {
        return key.key() + ": '" + value + "' is not valid; expected " + key.expected();
    }
}
