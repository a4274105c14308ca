import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiRefusals, ConflictFree, Ctx, type RequestContext, UuidParam, CommandRoute } from '@csp/http';
import { DestroyKeyMaterialDto } from './destroy-key-material/destroy-key-material.dto';
import { DestroyKeyMaterialCommand } from './destroy-key-material/destroy-key-material.handler';
import { KeyMaterialDestructionResponse } from './destroy-key-material/destroy-key-material.response';
import { RegisterCustomerDto } from './register/register-customer.dto';
import { RegisterCustomerCommand } from './register/register-customer.handler';
import { RegisteredCustomerResponse } from './register/register-customer.response';

@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute('', 'customer.register', "Register a customer of the caller's partner", 201, {
    type: RegisteredCustomerResponse,
    description: 'Registered: the partner may buy for it from now on',
  })
  @ApiRefusals({
    400: '`invalid_name`, `invalid_domain`, `invalid_market`, `invalid_tenant_id`, naming the field',
    409: '`customer_tenant_exists`, `customer_domain_exists`',
  })
  register(@Ctx() context: RequestContext, @Body() body: RegisterCustomerDto): Promise<RegisteredCustomerResponse> {
    return this.commands.execute(new RegisterCustomerCommand(context, body));
  }

  /** Crypto-shredding of the customer's product keys (offboarding, legal request). */
  // Appended without an expected revision: destroying twice records it twice, harmlessly.
  @ConflictFree()
  @CommandRoute(
    ':customerId/key-material/destroy',
    'customer.destroyKeyMaterial',
    "Destroy a customer's key material (crypto-shredding of its product keys)",
    200,
    {
      type: KeyMaterialDestructionResponse,
      description: "Destroyed: the tenant's product keys can never be revealed again (410); fingerprints and the audit trail stay",
    },
  )
  @ApiRefusals({
    503: '`read_model_behind`: the customers read model has not yet applied what was committed when the command came, so it cannot know whether the customer exists; retry after `Retry-After` seconds',
  })
  destroyKeyMaterial(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Body() body: DestroyKeyMaterialDto,
  ): Promise<KeyMaterialDestructionResponse> {
    return this.commands.execute(new DestroyKeyMaterialCommand(context, customerId, body.reason));
  }
}
