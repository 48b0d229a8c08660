/** What the service saw of each site: last contact, rejected messages, and ingress counts. */
export class SiteActivity {
  readonly lastSeenMs = new Map<string, number>();
  readonly rejectedBySite = new Map<string, number>();
  accepted = 0;
  rejected = 0;

  seen(clientId: string): void {
    this.lastSeenMs.set(clientId, Date.now());
  }

  acceptedResult(clientId: string): void {
    this.accepted++;
    this.seen(clientId);
  }

  rejectedResult(clientId: string | null): void {
    this.rejected++;
    if (clientId) this.rejectedBySite.set(clientId, (this.rejectedBySite.get(clientId) ?? 0) + 1);
  }
}
