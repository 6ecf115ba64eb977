import { DEFAULT_LADDER } from '../engine/ladder.ts';
import { recordAudit } from './audit.ts';
import type { Business, Member, Tx } from './types.ts';

export interface NewBusiness {
  name: string;
  currency: string;
  timeZone: string;
  language: string;
  country: string;
  owner: { name: string; channel: string; address: string };
  /** The clock's instant: the new rows' createdAt. */
  now: Date;
}

/** Creates a business and makes the person who set it up its owner. */
export async function createBusinessWithOwner(tx: Tx, input: NewBusiness): Promise<{ business: Business; owner: Member }> {
  const business = await tx.business.create({
    data: {
      name: input.name,
      currency: input.currency,
      timeZone: input.timeZone,
      language: input.language,
      country: input.country,
      ladder: DEFAULT_LADDER as unknown as object,
      createdAt: input.now,
      updatedAt: input.now,
    },
  });
  // A chat that was once a member (an agent since removed) becomes this business's owner.
  const owner = await tx.member.upsert({
    where: { channel_address: { channel: input.owner.channel, address: input.owner.address } },
    create: { businessId: business.id, role: 'owner', name: input.owner.name, channel: input.owner.channel, address: input.owner.address, language: input.language, createdAt: input.now },
    update: { businessId: business.id, role: 'owner', name: input.owner.name, language: input.language, active: true, digestHour: null },
  });
  await recordAudit(tx, {
    businessId: business.id,
    actor: { type: 'member', id: owner.id },
    action: 'business.created',
    entityType: 'business',
    entityId: business.id,
    data: { name: input.name, currency: input.currency, timeZone: input.timeZone, language: input.language },
    now: input.now,
  });
  return { business, owner };
}

export interface MemberWithBusiness extends Member {
  business: Business;
}

export async function setMemberLanguage(tx: Tx, member: Member, language: string, now: Date): Promise<void> {
  await tx.member.update({ where: { id: member.id }, data: { language } });
  await recordAudit(tx, {
    businessId: member.businessId,
    actor: { type: 'member', id: member.id },
    action: 'member.language_changed',
    entityType: 'member',
    entityId: member.id,
    data: { language },
    now,
  });
}

export async function listOwners(tx: Tx, businessId: string): Promise<Member[]> {
  return tx.member.findMany({ where: { businessId, role: 'owner', active: true }, orderBy: { createdAt: 'asc' } });
}
