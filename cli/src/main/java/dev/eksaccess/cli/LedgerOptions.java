package dev.eksaccess.cli;

import picocli.CommandLine.Option;

/** The audit ledger and how to reach it: the flags every ledger-reading command (status, pending) shares. */
final class LedgerOptions extends TableOptions {

    @Option(names = "--ledger-table", paramLabel = "NAME",
            description = "The audit ledger's DynamoDB table (stack output LedgerTableName). Default: $"
                    + CliContext.LEDGER_TABLE_VARIABLE + ".")
    String table;

    @Override
    String givenTable() {
        return table;
    }

    @Override
    String flag() {
        return "--ledger-table";
    }

    @Override
    String variable() {
        return CliContext.LEDGER_TABLE_VARIABLE;
    }

    @Override
    String stackOutput() {
        return "LedgerTableName";
    }

    @Override
    String what() {
        return "ledger table";
    }
}
