import { authGroup } from './auth.js';
import { bucketGroup } from './bucket.js';
import { COMMON_FLAGS, isGroup, type CommandGroup, type CommandSpec } from './common/command-spec.js';
import { configGroup } from './config.js';
import { deleteSpec } from './delete.js';
import { orgGroup } from './org.js';
import { pingSpec } from './ping.js';
import { querySpec } from './query.js';
import { scriptGroup } from './script.js';
import { setupSpec } from './setup.js';
import { taskGroup } from './task.js';
import { writeSpec } from './write.js';

/** The client commands completion knows; `serve` and `flux` are added by name only. */
const TREE: Record<string, CommandSpec | CommandGroup> = {
  config: configGroup,
  setup: setupSpec,
  ping: pingSpec,
  org: orgGroup,
  bucket: bucketGroup,
  auth: authGroup,
  write: writeSpec,
  query: querySpec,
  delete: deleteSpec,
  task: taskGroup,
  script: scriptGroup,
};
const EXTRA_TOP = ['serve', 'flux', 'completion'];

/**
 * Every command path (`"task run list"`) with the words that may follow it: subcommands of a
 * group, flags of a command. The generated scripts look the current path up in this table.
 */
export function completionTable(): Map<string, string[]> {
  const table = new Map<string, string[]>();
  table.set('', [...Object.keys(TREE), ...EXTRA_TOP]);
  table.set('completion', ['bash', 'zsh']);
  const walk = (path: string, c: CommandSpec | CommandGroup): void => {
    if (isGroup(c)) {
      table.set(path, Object.keys(c.subcommands));
      for (const [n, sub] of Object.entries(c.subcommands)) walk(`${path} ${n}`, sub);
      return;
    }
    const flags = { ...(c.connects === false ? {} : COMMON_FLAGS), ...c.flags, help: { type: 'boolean', help: '' } };
    table.set(path, Object.keys(flags).map((f) => `--${f}`));
  };
  for (const [n, c] of Object.entries(TREE)) walk(n, c);
  return table;
}

export function bashCompletion(): string {
  const cases = [...completionTable()].map(([path, words]) => `    "${path}") words="${words.join(' ')}" ;;`).join('\n');
  return `# sluice bash completion: source <(sluice completion bash)
_sluice() {
  local cur cmdpath="" w words i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && break
    cmdpath="\${cmdpath:+$cmdpath }$w"
  done
  case "$cmdpath" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _sluice sluice
`;
}

export function zshCompletion(): string {
  const cases = [...completionTable()].map(([path, words]) => `    "${path}") cands=(${words.join(' ')}) ;;`).join('\n');
  // words and CURRENT are zsh's completion state; path is tied to PATH, hence cmdpath.
  return `#compdef sluice
# sluice zsh completion: source <(sluice completion zsh)
_sluice() {
  local cmdpath="" w i
  local -a cands
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    [[ $w == -* ]] && break
    cmdpath="\${cmdpath:+$cmdpath }$w"
  done
  case "$cmdpath" in
${cases}
    *) cands=() ;;
  esac
  compadd -- $cands
}
compdef _sluice sluice
`;
}

/** `sluice completion bash|zsh`: prints a completion script to source. */
export async function completionCommand(argv: readonly string[]): Promise<number> {
  const [shell] = argv;
  if (shell === 'bash') process.stdout.write(bashCompletion());
  else if (shell === 'zsh') process.stdout.write(zshCompletion());
  else {
    (shell === '--help' || shell === '-h' ? process.stdout : process.stderr).write(
      'Usage: sluice completion bash|zsh\n\nPrints a shell completion script.\n\nExamples:\n  source <(sluice completion bash)\n  sluice completion zsh > "${fpath[1]}/_sluice"\n',
    );
    return shell === '--help' || shell === '-h' ? 0 : 1;
  }
  return 0;
}
