import { Controller, Get, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { OptionalAuth, OwnerParam, Public, Roles } from './auth.decorators';
import { RolesGuard } from './roles.guard';
import { routePolicy } from './route-policy';

@Roles('admin')
@Controller()
class Probe {
  @Public()
  @Get('a')
  open() {}

  @OptionalAuth()
  @Roles('support')
  @Get('b')
  optional() {}

  @OwnerParam('ownerId')
  @Get('c')
  owned() {}
}

@Controller()
class Child extends Probe {}

const contextOf = (cls: object, handler: () => void) =>
  new ExecutionContextHost([{}, {}], cls as never, handler);

describe('routePolicy', () => {
  it('reads the decorators of a handler and its class', () => {
    const reflector = new Reflector();
    expect(routePolicy(reflector, contextOf(Probe, Probe.prototype.open))).toMatchObject({
      isPublic: true,
      isOptional: false,
      roles: ['admin'],
      ownerParam: undefined,
    });
    const optional = routePolicy(reflector, contextOf(Probe, Probe.prototype.optional));
    expect(optional).toMatchObject({ isOptional: true, roles: ['support'] });
    expect(optional.guardedBy.has(RolesGuard)).toBe(true);
    expect(routePolicy(reflector, contextOf(Probe, Probe.prototype.owned)).ownerParam).toBe(
      'ownerId',
    );
  });

  it('reads them once per handler and class, not on every request', () => {
    const reflector = new Reflector();
    const read = jest.spyOn(reflector, 'getAllAndOverride');
    @Controller()
    class Fresh {
      @UseGuards(RolesGuard)
      @Get()
      handler() {}
    }
    const first = routePolicy(reflector, contextOf(Fresh, Fresh.prototype.handler));
    const reads = read.mock.calls.length;
    expect(reads).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      expect(routePolicy(reflector, contextOf(Fresh, Fresh.prototype.handler))).toBe(first);
    }
    expect(read.mock.calls.length).toBe(reads);
    // An inherited handler serving another controller has a policy of its own.
    expect(routePolicy(reflector, contextOf(Child, Probe.prototype.open))).not.toBe(
      routePolicy(reflector, contextOf(Probe, Probe.prototype.open)),
    );
  });
});
