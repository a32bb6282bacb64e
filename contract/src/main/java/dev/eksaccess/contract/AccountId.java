package dev.eksaccess.contract;

import java.util.regex.Pattern;

/** An AWS account id: twelve digits. The one definition the deployment, the functions and the CLI check against. */
public final class AccountId {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private AccountId() {
    }

    /** Whether {@code value} is twelve digits (null is not). */
    public static boolean isValid(String value) {
        return value != null && ACCOUNT.matcher(value).matches();
    }
}
