/**
 * The domain facts of docs/domain-facts.md as text, for hovers that show what a rule
 * rests on. Ids are the document's (F = stated in KB924567 or KB810489, S = which Exchange 2003
 * service depends on which, U = commonly stated, N = no source: an assumption the product names).
 */
import { DEFAULT_ASSUMPTIONS } from '../model/assumptions';

export interface FactText {
  id: string;
  text: string;
  source: string;
}

const KB924567_SOURCE = 'Microsoft KB924567 (revision 5)';
const UNVERIFIED = 'commonly stated; not from KB924567';
const ASSUMED = 'no source gives this number: an assumption you can change';

export const FACTS: Readonly<Record<string, FactText>> = Object.fromEntries(
  [
    [
      'F1',
      'Symptoms when moving high-volume mailboxes from an Exchange 2003 SP2 server: e-mail stays in ' +
        'the local delivery queue; OWA does not respond; the SMTP service stops responding.',
      KB924567_SOURCE,
    ],
    ['F2', 'It occurs when the MTA service is disabled on the Exchange 2003 SP2 server.', KB924567_SOURCE],
    [
      'F3',
      'Cause: the Information Store service registers a flush in the transit mail task for each mailbox moved; the flush uses the MTA.',
      KB924567_SOURCE,
    ],
    ['F4', 'With the MTA disabled the flush takes 150 minutes to time out.', KB924567_SOURCE],
    [
      'F5',
      'Meanwhile fewer Information Store tasks are available; eventually task thread exhaustion, ' +
        'which affects other functions such as local delivery.',
      KB924567_SOURCE,
    ],
    ['F6', 'Hotfix files: Exosal.dll, Mdbmsg.dll and Store.exe 6.5.7652.5, dated 06-Dec-2006, x86.', KB924567_SOURCE],
    ['F7', 'Prerequisite: Exchange Server 2003 Service Pack 2.', KB924567_SOURCE],
    [
      'F8',
      'No computer restart; applying it restarts the Microsoft Exchange Information Store, ' +
        'Microsoft Search and IIS Admin services and all dependent services.',
      KB924567_SOURCE,
    ],
    [
      'F9',
      'Set "Gateway Out Threads" to 0 when disabling the MTA; that value is the sign of a disabled MTA.',
      'Microsoft KB810489 (MTA Stacks service supportability guidelines)',
    ],
    [
      'F10',
      'After the hotfix, the store recognises Gateway Out Threads = 0 and does not register the flush for each mailbox.',
      KB924567_SOURCE,
    ],
    ['F11', 'The hotfix does not replace any other hotfix.', KB924567_SOURCE],
    [
      'F12',
      'Gateway In Threads and Gateway Out Threads are registry values of each database (MSExchangeIS\\<server>\\<database>); ' +
        'KB810489 sets both to 0 on every database when the MTA is disabled, and again on each database created later, which ' +
        'otherwise has the default, 1. The KB924567 store skips the flush only for moves out of a database whose Gateway Out Threads is 0.',
      'Microsoft KB810489; TechNet, "How to Set the Gateway Out Threads Registry Value"',
    ],
    [
      'F13',
      'Without both values on a database while the MTA is disabled, the store keeps logging event 2000 ("ma-open calls are failing with error 3051").',
      'Microsoft KB810489',
    ],
    [
      'U4',
      'Exchange 2003 Standard Edition: before SP2 a database may not exceed 16 GB; from SP2 the limit is the registry value ' +
        '"Database Size Limit in GB" of each database, 18 GB unless set, at most 75 GB; past it the store dismounts the database.',
      'Exchange Team blog, "More details on Standard DB limit size increase in Exchange 2003 SP2" (14 September 2005)',
    ],
    [
      'U5',
      "Microsoft's guidance for the Move Mailbox Wizard: move mailboxes in batches of 20 to 30, at times of low activity; each " +
        'wizard instance moves 4 at once.',
      'Microsoft KB821829, "Moving mailboxes in Exchange Server 2003"',
    ],
    [
      'S1',
      'The Information Store service depends on the System Attendant (MSExchangeSA), which depends on Event Log, NTLM ' +
        'Security Support Provider, RPC, Server and Workstation; Windows stops the services that depend on a service ' +
        "before it. The MTA Stacks, Microsoft Search and IIS Admin services are not on the store's chain.",
      'Exchange Server 2003 Technical Reference, as far as it could be read; TechTarget on the System Attendant (docs/domain-facts.md)',
    ],
    ['U1', 'store.exe builds: Exchange 2003 RTM 6.5.6944, SP1 6.5.7226, SP2 6.5.7638.', UNVERIFIED],
    ['U2', "Exchange 2003's Move Mailbox Wizard moves up to 4 mailboxes at once by default.", UNVERIFIED],
    [
      'N1',
      `The default number of Information Store task threads (the product assumes ` +
        `${DEFAULT_ASSUMPTIONS.storeTaskThreads}; set store.taskThreads).`,
      ASSUMED,
    ],
    [
      'N2',
      `Per-mailbox move throughput (the product assumes ` +
        `${DEFAULT_ASSUMPTIONS.moveThroughputMBPerMinute} MB/min per concurrent move; set throughputMBPerMinute).`,
      ASSUMED,
    ],
    ['N3', 'Store thread time per delivered message and per OWA request (set load.deliveryServiceMs / load.owaServiceMs).', ASSUMED],
  ].map(([id, text, source]) => [id, { id, text, source }]),
);
