/* wedge: compare two engines' kernel-call traces and find why one hangs. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* `wedge help [COMMAND]`: the page of COMMAND, or the overview; a command
 * that does not exist is a usage error (a script must not take the overview
 * for the page it asked for). */
static int help(const char *cmd)
{
    if (cmd == NULL)
        fputs(cli_help_main, stdout);
    else if (strcmp(cmd, "report") == 0)
        cli_help_report_print();
    else if (strcmp(cmd, "stats") == 0)
        fputs(cli_help_stats, stdout);
    else if (strcmp(cmd, "simulate") == 0)
        fputs(cli_help_simulate, stdout);
    else if (strcmp(cmd, "demo") == 0)
        fputs(cli_help_demo, stdout);
    else if (strcmp(cmd, "diff") == 0)
        fputs(cli_help_diff, stdout);
    else if (strcmp(cmd, "record") == 0)
        fputs(cli_help_record, stdout);
    else {
        fprintf(stderr, "wedge: no command '%s'; try 'wedge --help'\n", cmd);
        return 64;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(cli_help_main, stderr);
        return 64;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
        return help(argc > 2 ? argv[2] : NULL);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("wedge %s\n", wdg_version());
        return 0;
    }
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0)
        return cmd_stats(argc - 1, argv + 1);
    if (strcmp(cmd, "simulate") == 0)
        return cmd_simulate(argc - 1, argv + 1);
    if (strcmp(cmd, "demo") == 0)
        return cmd_demo(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "record") == 0)
        return cmd_record(argc - 1, argv + 1);
    fprintf(stderr, "wedge: unknown command '%s'\nTry 'wedge --help'.\n", cmd);
    return 64;
}
