import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMasker } from './masker.ts';

const masker = createMasker();
const mask = (text: string) => masker.maskText(text);

describe('credit card numbers', () => {
  it('masks numbers that pass the Luhn check, plain or grouped', () => {
    const cards = [
      '4111111111111111',
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '5500005555555559',
      '378282246310005',
      '3782 822463 10005',
      '6011111111111117',
      '2223003122003222',
      '4222222222222',
      '6011000990139424',
    ];
    for (const card of cards) assert.equal(mask(`pan ${card} ok`), 'pan [MASKED:credit_card] ok', card);
  });

  it('keeps numbers that fail the Luhn check', () => {
    for (const line of [
      'order 1234567812345678 shipped',
      'ref 4111111111111112',
      'card 4111 1111 1111 1112 declined',
    ]) {
      assert.equal(mask(line), line);
    }
  });

  it('keeps numbers that are no card although Luhn passes', () => {
    // Luhn-valid all: epoch milliseconds and a snowflake id (issuer digit 1), 11 digits (too short),
    // 20 digits (too long).
    for (const line of [
      'ts=1732363200004 id=1234567890123456785',
      'n 79927398713 short',
      'v 41111111111111110034',
    ]) {
      assert.equal(mask(line), line);
    }
  });

  it('keeps timestamps, IPs, UUIDs and trace ids', () => {
    const line =
      '2026-11-23T12:00:00.123Z 192.168.1.20:51234 0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90 4bf92f3577b34da6a3ce929d0e0e4736';
    assert.equal(mask(line), line);
  });

  it('does not take digits glued to letters', () => {
    for (const line of ['x4111111111111111', '4111111111111111abc', 'id_4111111111111111'])
      assert.equal(mask(line), line);
  });

  it('masks the card and keeps a number that follows it', () => {
    assert.equal(mask('4111 1111 1111 1111 12 items'), '[MASKED:credit_card] 12 items');
  });
});
